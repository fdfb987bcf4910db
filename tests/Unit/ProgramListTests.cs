// The README's list of programs is checked against the one list, src/Apps/Programs.cs: the
// paragraph that begins "The programs are one multi-call binary" names every program in
// backquotes, and every backquoted word in it (up to "The kernel starts only") is a program.
using System.Text.RegularExpressions;
using Xunit;

namespace ExoSharp.Tests.Unit;

public sealed class ProgramListTests
{
    private const string Start = "The programs are one multi-call binary";
    private const string End = "The kernel starts only";

    [Fact]
    public void ReadmeNamesExactlyThePrograms()
    {
        string source = File.ReadAllText(Path.Combine(SourceTree.Root, "src/Apps/Programs.cs"));
        var programs = Regex.Matches(source, @"Name = ""(?<name>[^""]+)""").Select(m => m.Groups["name"].Value).ToHashSet();
        Assert.True(programs.Count > 40, $"only {programs.Count} programs found in src/Apps/Programs.cs");

        string readme = File.ReadAllText(Path.Combine(SourceTree.Root, "README.md"));
        int start = readme.IndexOf(Start, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no paragraph beginning \"{Start}\"");
        int end = readme.IndexOf(End, start, StringComparison.Ordinal);
        Assert.True(end > start, $"README.md's program list does not end with \"{End}\"");
        string list = readme[start..end];
        var named = Regex.Matches(list, @"`(?<word>[a-z0-9]+)`").Select(m => m.Groups["word"].Value).ToHashSet();

        var missing = programs.Except(named).OrderBy(n => n).ToList();
        var unknown = named.Except(programs).OrderBy(n => n).ToList();
        Assert.True(missing.Count == 0 && unknown.Count == 0,
            $"README.md's program list is out of step with src/Apps/Programs.cs: missing {string.Join(", ", missing)}; not programs: {string.Join(", ", unknown)}");
    }
}
