// Keeps docs/abi.md and src/Abi in step: every Syscall member has a "### Name (number)"
// heading under "## System calls" and every Error member a "| Name | value |" row under
// "## Errors", every UserLayout constant a "| Name | value |" row under "## Address space",
// and every such heading or row names a real member with that value; every src/Abi structure it
// spells out ("`XnChange { Block, ... }` (64 bytes") has those fields in that order and that size.
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ExoSharp.Abi;
using Xunit;

namespace ExoSharp.Tests.Unit;

public sealed class AbiDocumentTests
{
    private static readonly Lazy<string[]> s_lines = new(() => File.ReadAllLines(DocumentPath()));

    private static readonly Regex s_heading = new(@"^### (?<name>\w+) \((?<number>-?[0-9]+)\)$");

    /// <summary>docs/abi.md in the repository that holds this build: the first directory up
    /// from the test assembly that contains global.json.</summary>
    private static string DocumentPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json")))
                return Path.Combine(dir.FullName, "docs", "abi.md");
        throw new InvalidOperationException($"no global.json above {AppContext.BaseDirectory}");
    }

    /// <summary>The lines after the heading "## title" up to the next "## " heading.</summary>
    private static List<string> Section(string title)
    {
        string[] lines = s_lines.Value;
        int start = Array.FindIndex(lines, l => l.TrimEnd() == "## " + title);
        Assert.True(start >= 0, $"docs/abi.md has no \"## {title}\" section");
        var section = new List<string>();
        for (int i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
            section.Add(lines[i].TrimEnd());
        return section;
    }

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    private static bool IsSeparator(string line) =>
        line.StartsWith('|') && Cells(line).All(c => c.Length > 0 && c.All(ch => ch is '-' or ':'));

    /// <summary>The cells of every table row in a section; header rows (the row above a
    /// |---| line) and separator rows left out.</summary>
    private static List<string[]> TableRows(List<string> section)
    {
        var rows = new List<string[]>();
        for (int i = 0; i < section.Count; i++)
        {
            if (!section[i].StartsWith('|') || IsSeparator(section[i])) continue;
            if (i + 1 < section.Count && IsSeparator(section[i + 1])) continue;
            rows.Add(Cells(section[i]));
        }
        return rows;
    }

    /// <summary>Fails with every problem spelled out in full (Assert.Empty cuts them short).</summary>
    [System.Diagnostics.StackTraceHidden]
    private static void AssertNone(List<string> problems)
    {
        if (problems.Count > 0) Assert.Fail("docs/abi.md disagrees with src/Abi:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheDocumentHasEverySection()
    {
        string[] lines = s_lines.Value;
        var missing = new[] { "Calling convention", "Address space", "System calls", "Errors", "Faults" }
            .Where(title => !lines.Any(l => l.TrimEnd() == "## " + title)).ToList();
        AssertNone(missing);
    }

    [Fact]
    public void EverySyscallHasAHeadingWithItsNumber()
    {
        List<string> section = Section("System calls");
        var problems = new List<string>();
        foreach (Syscall call in Enum.GetValues<Syscall>())
        {
            string heading = $"### {call} ({(ulong)call})";
            int count = section.Count(l => l == heading);
            if (count != 1) problems.Add($"\"{heading}\" appears {count} times under ## System calls");
        }
        AssertNone(problems);
    }

    [Fact]
    public void EverySystemCallHeadingNamesARealSyscall()
    {
        List<string> section = Section("System calls");
        var problems = new List<string>();
        var names = Enum.GetNames<Syscall>();
        foreach (string line in section.Where(l => l.StartsWith("### ", StringComparison.Ordinal)))
        {
            Match m = s_heading.Match(line);
            if (!m.Success)
            {
                problems.Add($"\"{line}\" is not of the form \"### Name (number)\"");
                continue;
            }
            string name = m.Groups["name"].Value;
            if (!names.Contains(name))
                problems.Add($"\"{line}\": there is no Syscall.{name}");
            else if (((ulong)Enum.Parse<Syscall>(name)).ToString() != m.Groups["number"].Value)
                problems.Add($"\"{line}\": Syscall.{name} is {(ulong)Enum.Parse<Syscall>(name)}");
        }
        AssertNone(problems);
    }

    [Fact]
    public void EveryErrorHasATableRowWithItsValue()
    {
        List<string> section = Section("Errors");
        var problems = new List<string>();
        foreach (Error error in Enum.GetValues<Error>())
        {
            string start = $"| {error} | {(long)error} |";
            int count = section.Count(l => l.StartsWith(start, StringComparison.Ordinal));
            if (count != 1) problems.Add($"a row starting \"{start}\" appears {count} times under ## Errors");
        }
        AssertNone(problems);
    }

    [Fact]
    public void EveryErrorTableRowNamesARealError()
    {
        List<string> section = Section("Errors");
        var problems = new List<string>();
        var names = Enum.GetNames<Error>();
        List<string[]> rows = TableRows(section);
        Assert.NotEmpty(rows);
        foreach (string[] cells in rows)
        {
            string row = "| " + string.Join(" | ", cells) + " |";
            if (cells.Length < 2)
                problems.Add($"{row}: expected | Name | Value | Meaning |");
            else if (!names.Contains(cells[0]))
                problems.Add($"{row}: there is no Error.{cells[0]}");
            else if (((long)Enum.Parse<Error>(cells[0])).ToString() != cells[1])
                problems.Add($"{row}: Error.{cells[0]} is {(long)Enum.Parse<Error>(cells[0])}");
        }
        AssertNone(problems);
    }

    /// <summary>UserLayout's constants by name, as numbers.</summary>
    private static Dictionary<string, ulong> UserLayoutConstants() =>
        typeof(UserLayout).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => Convert.ToUInt64(f.GetRawConstantValue()));

    /// <summary>A table cell's number: decimal or 0x hex, backticks, underscores and any
    /// trailing words ignored; null if there is none.</summary>
    private static ulong? Number(string cell)
    {
        string text = cell.Replace("`", "").Replace("_", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex) ? hex : null;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value : null;
    }

    [Fact]
    public void EveryUserLayoutConstantHasATableRowWithItsValue()
    {
        List<string[]> rows = TableRows(Section("Address space"));
        var problems = new List<string>();
        foreach ((string name, ulong value) in UserLayoutConstants())
        {
            var matching = rows.Where(r => r[0] == name).ToList();
            if (matching.Count != 1)
                problems.Add($"UserLayout.{name} has {matching.Count} rows under ## Address space (wanted one: | {name} | 0x{value:X16} |)");
            else if (matching[0].Length < 2 || Number(matching[0][1]) != value)
                problems.Add($"| {name} | {(matching[0].Length < 2 ? "" : matching[0][1])} |: UserLayout.{name} is 0x{value:X16} ({value})");
        }
        AssertNone(problems);
    }

    [Fact]
    public void EveryAddressSpaceTableRowNamesARealConstant()
    {
        List<string[]> rows = TableRows(Section("Address space"));
        Assert.NotEmpty(rows);
        Dictionary<string, ulong> constants = UserLayoutConstants();
        var problems = new List<string>();
        foreach (string[] cells in rows)
        {
            string row = "| " + string.Join(" | ", cells) + " |";
            if (!constants.TryGetValue(cells[0], out ulong value))
                problems.Add($"{row}: there is no UserLayout.{cells[0]}");
            else if (cells.Length < 2 || Number(cells[1]) != value)
                problems.Add($"{row}: UserLayout.{cells[0]} is 0x{value:X16} ({value})");
        }
        AssertNone(problems);
    }

    /// <summary>Every "`Name { A, B, ... }`" the document writes for a structure of src/Abi lists
    /// that structure's public fields in their order, and a "(N bytes" right after it is its size.</summary>
    [Fact]
    public void EveryStructureItSpellsOutHasThoseFields()
    {
        string text = Regex.Replace(string.Join("\n", s_lines.Value), @"\s+", " ");
        var problems = new List<string>();
        int checkedCount = 0;
        foreach (Match m in Regex.Matches(text, @"`(?<name>\w+) \{ (?<fields>[\w, ]+) \}`(?: \((?<size>[0-9]+) bytes)?"))
        {
            Type type = typeof(Syscall).Assembly.GetType("ExoSharp.Abi." + m.Groups["name"].Value);
            if (type == null || !type.IsValueType) continue;
            checkedCount++;
            string fields = string.Join(", ", type.GetFields(BindingFlags.Public | BindingFlags.Instance).OrderBy(f => f.MetadataToken).Select(f => f.Name));
            if (fields != m.Groups["fields"].Value) problems.Add($"{m.Value}: {type.Name}'s fields are {{ {fields} }}");
            int size = System.Runtime.InteropServices.Marshal.SizeOf(type);
            if (m.Groups["size"].Success && m.Groups["size"].Value != size.ToString(CultureInfo.InvariantCulture))
                problems.Add($"{m.Value}: {type.Name} is {size} bytes");
        }
        Assert.True(checkedCount > 0, "no structure of src/Abi spelled out in docs/abi.md");
        AssertNone(problems);
    }

    [Fact]
    public void ConsoleWriteStatesItsLengthLimit()
    {
        string calls = string.Join('\n', Section("System calls"));
        Assert.True(calls.Contains($"length > {UserLayout.MaxConsoleWrite}", StringComparison.Ordinal),
            $"## System calls does not say \"length > {UserLayout.MaxConsoleWrite}\" (UserLayout.MaxConsoleWrite)");
    }
}
