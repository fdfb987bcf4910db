// docs/linux.md's table of system calls names exactly the calls Runtime/LinuxCalls.cs serves
// (its `case N:` labels, named through SyscallNames), so the page cannot drift from the code.
using System.Text.RegularExpressions;
using ExoSharp.LibOS.Linux;
using Xunit;

namespace ExoSharp.Tests.Linux
{
    public class DocumentTests
    {

        [Fact]
        public void TheCallTableMatchesTheDispatcher()
        {
            string code = File.ReadAllText(Path.Combine(Repository.Root, "src/LibOS/Linux/Runtime/LinuxCalls.cs"));
            var served = Regex.Matches(code, @"case (\d+):").Select(m => SyscallNames.Of(ulong.Parse(m.Groups[1].Value))).ToHashSet();
            string page = File.ReadAllText(Path.Combine(Repository.Root, "docs/linux.md"));
            string table = page[page.IndexOf("| call | what it does here |")..];
            var documented = Regex.Matches(table, @"^\| ([a-z0-9_]+) \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Where(n => n != "call").ToHashSet();
            Assert.True(served.Count > 20, "the dispatcher serves calls (" + served.Count + ")");
            Assert.Empty(served.Except(documented));
            Assert.Empty(documented.Except(served));
        }
    }
}
