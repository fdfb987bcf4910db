// The initial stack read back the way a static libc's _start reads it: argc, argv, envp,
// then the auxiliary vector; strings in UTF-8; rsp 16-byte aligned; too small a stack refused.
using System.Text;
using ExoSharp.LibOS.Linux.Loader;
using Xunit;

namespace ExoSharp.Tests.Linux
{
    public unsafe class InitialStackTests
    {
        private const ulong Top = 0x7FF0_0000_0000, Size = 64 * 1024;

        private static ElfLoadPlan Plan()
        {
            var plan = new ElfLoadPlan();
            byte[] file = ElfFiles.Make(2, 0x401000, new ElfFiles.Header(1, 5, 0, 0x400000, 0x2000, 0x2000));
            Assert.Null(LoaderTests.Plan(file, plan));
            return plan;
        }

        private static string ReadString(byte[] memory, ulong address)
        {
            int at = (int)(address - (Top - Size)), end = at;
            while (memory[end] != 0) end++;
            return Encoding.UTF8.GetString(memory, at, end - at);
        }

        [Fact]
        public void LibcFindsArgumentsEnvironmentAndAuxVector()
        {
            var memory = new byte[Size];
            byte[] random = Enumerable.Range(1, 16).Select(i => (byte)(i * 7)).ToArray();
            string[] args = { "/bin/busybox", "echo", "héllo wörld €" };
            string[] env = { "PATH=/bin", "HOME=/" };
            ulong rsp;
            fixed (byte* m = memory) fixed (byte* r = random)
                rsp = InitialStack.Build(m, Top, Size, args, env, Plan(), r, 0x178bfbff, 100);
            Assert.NotEqual(0UL, rsp);
            Assert.Equal(0UL, rsp % 16);
            ulong Word(ulong address) => BitConverter.ToUInt64(memory, (int)(address - (Top - Size)));
            Assert.Equal(3UL, Word(rsp));
            for (int i = 0; i < 3; i++) Assert.Equal(args[i], ReadString(memory, Word(rsp + 8 + (ulong)i * 8)));
            Assert.Equal(0UL, Word(rsp + 32));
            ulong envp = rsp + 40;
            for (int i = 0; i < 2; i++) Assert.Equal(env[i], ReadString(memory, Word(envp + (ulong)i * 8)));
            Assert.Equal(0UL, Word(envp + 16));
            var aux = new Dictionary<ulong, ulong>();
            for (ulong at = envp + 24; ; at += 16)
            {
                if (Word(at) == AuxVector.Null) break;
                aux[Word(at)] = Word(at + 8);
            }
            Assert.Equal(0x400040UL, aux[AuxVector.ProgramHeaders]);
            Assert.Equal(56UL, aux[AuxVector.ProgramHeaderSize]);
            Assert.Equal(1UL, aux[AuxVector.ProgramHeaderCount]);
            Assert.Equal(4096UL, aux[AuxVector.PageSize]);
            Assert.Equal(0x401000UL, aux[AuxVector.Entry]);
            Assert.Equal(100UL, aux[AuxVector.ClockTicks]);
            Assert.Equal(0x178bfbffUL, aux[AuxVector.HardwareCapabilities]);
            Assert.Equal("x86_64", ReadString(memory, aux[AuxVector.Platform]));
            Assert.Equal("/bin/busybox", ReadString(memory, aux[AuxVector.ExecutableName]));
            ulong randomAt = aux[AuxVector.Random];
            Assert.Equal(random, memory.AsSpan((int)(randomAt - (Top - Size)), 16).ToArray());
            Assert.Equal(0UL, aux[AuxVector.Secure]);
        }

        [Fact]
        public void TooSmallAStackIsRefusedNotOverrun()
        {
            var memory = new byte[Size];
            byte[] random = new byte[16];
            string[] args = { new string('x', 40000), new string('y', 30000) };
            fixed (byte* m = memory) fixed (byte* r = random)
                Assert.Equal(0UL, InitialStack.Build(m, Top, Size, args, Array.Empty<string>(), Plan(), r, 0, 100));
        }
    }
}
