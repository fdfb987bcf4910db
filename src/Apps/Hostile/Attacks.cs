// Programs that attack the kernel, one per way in. Each must end with the kernel killing it
// (a console line saying why) or refusing with an error code; the line after the attack
// ("... survived") is printed only if the kernel let the attack through. The CPU faults are
// explained by ExOS's default handler (FaultReport); with the argument "nohandler", hlt and
// nullderef first remove it, and the kernel's own kill line shows.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static class Attacks
    {
        private const ulong KernelImage = 0xFFFF_FFFF_8010_0000;   // the kernel's first page
        private const ulong KernelCode = 0xFFFF_FFFF_8010_0020;    // boot.asm's _start
        private const ulong NonCanonical = 0x8000_0000_0000_0000;

        private static int Survived(string name)
        {
            System.Console.WriteLine(name + ": survived the attack (the kernel let it through)");
            return 1;
        }

        public static int ReadKernel(string a) { System.Console.WriteLine("readkernel: byte " + Machine.Read(KernelImage).ToString()); return Survived("readkernel"); }
        public static int WriteKernel(string a) { Machine.Write(KernelImage, 0x90); return Survived("writekernel"); }
        public static int JumpKernel(string a) { Machine.Call(KernelCode); return Survived("jumpkernel"); }
        public static int Cli(string a) { Machine.Cli(); return Survived("cli"); }
        public static int Hlt(string a) { Bare(a); Machine.Hlt(); return Survived("hlt"); }
        public static int Out(string a) { Machine.Out(); return Survived("outport"); }
        public static int MovCr3(string a) { Machine.MovCr3(); return Survived("movcr3"); }
        public static int WrMsr(string a) { Machine.WrMsr(); return Survived("wrmsr"); }
        public static int DivZero(string a) { System.Console.WriteLine("divzero: " + Machine.DivideByZero(1, 0).ToString()); return Survived("divzero"); }
        public static int ReadNonCanonical(string a) { Machine.Read(NonCanonical); return Survived("noncanonical"); }
        public static int NullDeref(string a) { Bare(a); Machine.Read(8); return Survived("nullderef"); }

        private static void Bare(string a)
        {
            if (a == "nohandler") SystemCall.SetExceptionHandler(Capability.Self, 0, 0);
        }

        public static int Spin(string a)
        {
            System.Console.WriteLine("spin: looping forever");
            for (ulong i = 0; ; i++)
                if (i == ulong.MaxValue) return Survived("spin");
        }

        public static int StackOverflow(string a) => Recurse(1) > 0 ? Survived("stackoverflow") : 1;

        private static int Recurse(int depth)
        {
            System.Span<byte> frame = stackalloc byte[512];
            frame[0] = (byte)depth;
            return Recurse(depth + 1) + frame[0];
        }

        /// <summary>Managed division by zero: the compiler's check throws DivideByZeroException.</summary>
        public static int ManagedDivZero(string a)
        {
            int zero = a.Length - a.Length;
            System.Console.WriteLine("manageddivzero: " + (10 / zero).ToString());
            return Survived("manageddivzero");
        }
    }
}
