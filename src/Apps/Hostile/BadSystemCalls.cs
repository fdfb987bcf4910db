// System calls with bad numbers and bad pointers: each must come back with the right error
// code (never a kernel fault); the program prints every result and exits 0 only if all match.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Hostile
{
    internal static unsafe class BadSystemCalls
    {
        private static int s_failures;

        private static void Expect(string what, long result, Error expected)
        {
            bool ok = result == (long)expected;
            if (!ok) s_failures++;
            System.Console.WriteLine("badsyscall: " + what + " -> " + result.ToString() + (ok ? " ok" : " WRONG"));
        }

        public static int Main(string arguments)
        {
            Expect("unknown call 999", SystemCall.InvokeRaw(999), Error.NoSuchCall);
            Expect("unknown call 2^63", SystemCall.InvokeRaw(1UL << 63), Error.NoSuchCall);
            Expect("write from kernel memory", SystemCall.ConsoleWrite((byte*)0xFFFF_FFFF_8010_0000, 16), Error.BadAddress);
            Expect("write from a null pointer", SystemCall.ConsoleWrite((byte*)0, 16), Error.BadAddress);
            Expect("write from a non-canonical pointer", SystemCall.ConsoleWrite((byte*)0x8000_0000_0000_0000, 16), Error.BadAddress);
            Expect("write from unmapped user memory", SystemCall.ConsoleWrite((byte*)0x4000_0000, 16), Error.BadAddress);
            Expect("write straddling the end of user space", SystemCall.ConsoleWrite((byte*)(UserLayout.End - 8), 16), Error.BadAddress);
            byte b = (byte)'x';
            Expect("write with a huge length", SystemCall.ConsoleWrite(&b, long.MaxValue), Error.BadLength);
            Expect("write with a negative length", SystemCall.ConsoleWrite(&b, -1), Error.BadLength);
            if (s_failures != 0) return 1;
            System.Console.WriteLine("badsyscall: all refused");
            return 0;
        }
    }
}
