// The kernel proper stays small: src/Kernel less src/Kernel/Devices (drivers), plus src/Xn and
// src/Executive (compiled into the kernel), must hold fewer than 10,000 lines of C# code
// (SourceTree's rule, cloc's: non-blank, non-comment; a lone brace counts), and its raw lines
// (comments and blank lines too, as `wc -l` counts them) may not grow past RawCeiling, which
// only ever comes down, towards the same 10,000. The self-tests compiled into the image live in
// tests/Kernel, outside it. docs/tour.md states the rule.
using Xunit;

namespace ExoSharp.Tests.Unit;

public sealed class KernelSizeTests
{
    public const int Budget = 10_000;

    /// <summary>Raw lines today, rounded up: lower it whenever the kernel shrinks; the goal is Budget.</summary>
    public const int RawCeiling = 11_820;

    private static readonly string[] s_included = { "src/Kernel", "src/Xn", "src/Executive" };
    private static readonly string[] s_excluded = { "src/Kernel/Devices/" };

    public static List<string> KernelProperFiles() =>
        s_included.SelectMany(SourceTree.CSharpFiles)
            .Where(f => !s_excluded.Any(e => f.StartsWith(e, StringComparison.Ordinal)))
            .ToList();

    [Fact]
    public void KernelProperIsUnderItsLineBudget()
    {
        var files = KernelProperFiles();
        Assert.True(files.Count > 100, $"only {files.Count} kernel files found under {SourceTree.Root}");
        var perFolder = files.GroupBy(f => Path.GetDirectoryName(f)!.Replace('\\', '/'))
            .Select(g => (Folder: g.Key, Lines: g.Sum(f => SourceTree.CodeLines(f).Count)))
            .OrderByDescending(g => g.Lines)
            .ToList();
        int total = perFolder.Sum(g => g.Lines);
        string breakdown = string.Join(", ", perFolder.Take(8).Select(g => $"{g.Folder} {g.Lines}"));
        Assert.True(total < Budget,
            $"the kernel proper has {total} lines of C# code, the budget is under {Budget}; largest: {breakdown}");
    }

    [Fact]
    public void KernelProperDoesNotGrowInRawLines()
    {
        int raw = KernelProperFiles().Sum(f => File.ReadAllLines(Path.Combine(SourceTree.Root, f)).Length);
        Assert.True(raw <= RawCeiling,
            $"the kernel proper has {raw} raw lines (wc -l), more than its ceiling {RawCeiling} (the goal: under {Budget}): move what is not protection or multiplexing out first");
    }

    [Fact]
    public void CountingRuleSeesCodeNotComments()
    {
        string path = Path.Combine(Path.GetTempPath(), $"exosharp-count-{Environment.ProcessId}.cs");
        File.WriteAllLines(path, new[]
        {
            "// header", "", "   ", "int a; // trailing", "/* block", " still block */", "/* one */ int b;",
            "  /** doc */", "int c; /* open", "closed */ int d;", "/// <summary>x</summary>",
        });
        try
        {
            var lines = SourceTree.CodeLines(path);
            Assert.Equal(new[] { "int a;", "int b;", "int c;", "int d;" }, lines);
        }
        finally { File.Delete(path); }
    }
}
