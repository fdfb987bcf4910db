// What ExOS's upcall entry (src/LibOS/ExOS/start.asm) takes for granted about the rest of the
// tree (and the kernel's light system calls, stubs.asm): compiled C# changes only the SSE
// component of the extended state (the instruction set build/Native.props gives ILCompiler has
// no AVX, so no VEX encodings touch the ymm upper halves; x64 code uses no x87), and the
// exception stack's top is the one Layout.cs names.
using System.Text.RegularExpressions;
using Xunit;

namespace ExoSharp.Tests.Unit;

public sealed class UserRuntimeTests
{
    [Fact]
    public void CompiledCodeTargetsNoAvx()
    {
        string props = File.ReadAllText(Path.Combine(SourceTree.Root, "build/Native.props"));
        Match m = Regex.Match(props, @"<IlcInstructionSet>(?<set>[^<]*)</IlcInstructionSet>");
        Assert.True(m.Success, "build/Native.props names no IlcInstructionSet");
        string set = m.Groups["set"].Value.ToLowerInvariant();
        Assert.DoesNotContain("avx", set);
        Assert.DoesNotContain("v3", set);
        Assert.DoesNotContain("v4", set);
    }

    [Fact]
    public void EntryAndLayoutAgreeOnTheExceptionStackTop()
    {
        string asm = File.ReadAllText(Path.Combine(SourceTree.Root, "src/LibOS/ExOS/start.asm"));
        string layout = File.ReadAllText(Path.Combine(SourceTree.Root, "src/LibOS/ExOS/Layout.cs"));
        Match a = Regex.Match(asm, @"^EXCEPTION_STACK_TOP\s+equ\s+0x(?<v>[0-9A-Fa-f_]+)", RegexOptions.Multiline);
        Match c = Regex.Match(layout, @"ExceptionStackTop\s*=\s*0x(?<v>[0-9A-Fa-f_]+)");
        Assert.True(a.Success && c.Success);
        Assert.Equal(Convert.ToUInt64(c.Groups["v"].Value.Replace("_", ""), 16), Convert.ToUInt64(a.Groups["v"].Value.Replace("_", ""), 16));
    }
}
