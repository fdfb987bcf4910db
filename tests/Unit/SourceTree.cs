// The repository this test build came from, and its C# sources read as lines of code: the
// kernel's size and layering tests (KernelSizeTests, LayerTests) measure the real tree.
// A line of code is a non-blank line that is not only a comment (// or inside /* */).
using System.Text;

namespace ExoSharp.Tests.Unit;

internal static class SourceTree
{
    /// <summary>The first directory up from the test assembly that contains global.json.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json")))
                return dir.FullName;
        throw new InvalidOperationException($"no global.json above {AppContext.BaseDirectory}");
    }

    /// <summary>Every .cs file under the folder (relative to the root, '/' separated), build
    /// output (obj, bin) left out, in a stable order; paths returned relative to the root.</summary>
    public static List<string> CSharpFiles(string folder)
    {
        string full = Path.Combine(Root, folder);
        if (!Directory.Exists(full)) return new List<string>();
        return Directory.EnumerateFiles(full, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "obj" or "bin"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The file's lines of code, comments stripped (line and block comments; string
    /// literals are not parsed, which the kernel's sources never make ambiguous).</summary>
    public static List<string> CodeLines(string path)
    {
        var code = new List<string>();
        bool inBlock = false;
        foreach (string raw in File.ReadAllLines(Path.Combine(Root, path)))
        {
            var kept = new StringBuilder();
            string line = raw;
            int i = 0;
            while (i < line.Length)
            {
                if (inBlock)
                {
                    int end = line.IndexOf("*/", i, StringComparison.Ordinal);
                    if (end < 0) { i = line.Length; break; }
                    inBlock = false;
                    i = end + 2;
                    continue;
                }
                int lineComment = line.IndexOf("//", i, StringComparison.Ordinal);
                int blockComment = line.IndexOf("/*", i, StringComparison.Ordinal);
                if (lineComment >= 0 && (blockComment < 0 || lineComment < blockComment))
                {
                    kept.Append(line, i, lineComment - i);
                    break;
                }
                if (blockComment >= 0)
                {
                    kept.Append(line, i, blockComment - i);
                    inBlock = true;
                    i = blockComment + 2;
                    continue;
                }
                kept.Append(line, i, line.Length - i);
                break;
            }
            string text = kept.ToString().Trim();
            if (text.Length > 0) code.Add(text);
        }
        return code;
    }
}
