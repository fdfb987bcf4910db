// JOS lab 4 user/faultalloc: the handler maps a page at the fault and writes a string there;
// printing strings at unmapped addresses faults them in, even across a page boundary
// (a fault inside the handler: nested exceptions).
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultAlloc
    {
        internal static void Handler(ExceptionFrame* frame)
        {
            ulong address = frame->FaultAddress;
            System.Console.WriteLine("fault " + Format.Hex(address));
            long r = Memory.AllocatePage(address & ~4095UL);
            if (r < 0)
            {
                System.Console.WriteLine("allocating at " + Format.Hex(address) + " in page fault handler: error " + r.ToString());
                SystemCall.Exit(1);
            }
            // snprintf((char*)addr, 100, ...): byte by byte, so crossing into the next page faults.
            string text = "this string was faulted in at " + Format.Hex(address);
            byte* p = (byte*)address;
            for (int i = 0; i < text.Length && i < 99; i++) p[i] = (byte)text[i];
            p[text.Length < 99 ? text.Length : 99] = 0;
        }

        /// <summary>cprintf("%s\n", s): reads the C string byte by byte.</summary>
        internal static void PrintCString(ulong address)
        {
            byte* p = (byte*)address;
            int length = 0;
            while (p[length] != 0) length++;
            char* chars = stackalloc char[length];
            for (int i = 0; i < length; i++) chars[i] = (char)p[i];
            System.Console.WriteLine(new string(chars, 0, length));
        }

        public static int Main(string arguments)
        {
            Exceptions.SetHandler(&Handler);
            PrintCString(0xDeadBeef);
            PrintCString(0xCafeBffe);
            return 0;
        }
    }
}
