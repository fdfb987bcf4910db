// The kernel's C# entry, called once by Boot/boot.asm in long mode with interrupts off.
using System.Runtime;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class KernelMain
    {
        [RuntimeExport("ExoSharpKernelMain")]
        public static void Main(uint magic, ulong info)
        {
            Serial.Initialize();
            Write("ExoSharp 0.1.0\n");
            Cpu.OutDword(0xf4, 0);
            Cpu.HaltForever();
        }

        private static void Write(string s)
        {
            for (int i = 0; i < s.Length; i++) Serial.WriteByte((byte)s[i]);
        }

        [RuntimeExport("ExoSharpMoreCore")]
        public static void* MoreCore(nuint minimum, nuint* granted) { *granted = 0; return null; }

        [RuntimeExport("ExoSharpUnhandledException")]
        public static void Unhandled(object e) { Write("unhandled\n"); Cpu.HaltForever(); }

        [RuntimeExport("ExoSharpResolveInterface")]
        public static nint Resolve(nint cell, object self) { Write("iface\n"); Cpu.HaltForever(); return 0; }
    }
}
