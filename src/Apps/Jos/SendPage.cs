// JOS lab 4 user/sendpage: parent and child exchange a page over IPC (a frame capability
// passed with the message) and read each other's text in it.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class SendPage
    {
        private const ulong TempAddress = 0xa00000;
        private const ulong TempAddressChild = 0xb00000;
        private const string Str1 = "hello child environment! how are you?";
        private const string Str2 = "hello parent environment! I'm good.";

        private static void Copy(ulong address, string text)
        {
            byte* p = (byte*)address;
            for (int i = 0; i < text.Length; i++) p[i] = (byte)text[i];
            p[text.Length] = 0;
        }

        private static string Read(ulong address)
        {
            byte* p = (byte*)address;
            int n = 0;
            while (p[n] != 0) n++;
            return new string((sbyte*)p, 0, n);
        }

        public static int Main(string arguments)
        {
            ulong who;
            long child = Process.Fork();
            if (child == 0)
            {
                Ipc.Receive(out _, TempAddressChild);
                who = KernelTables.Environment(Process.Id).ParentId;   // it came through our capability for the parent: badge 0
                System.Console.WriteLine(Format.Hex(who) + " got message: " + Read(TempAddressChild));
                if (Read(TempAddressChild).StartsWith(Str1)) System.Console.WriteLine("child received correct message");
                Copy(TempAddressChild, Str2);
                Ipc.Send(Process.Parent, 0, TempAddressChild, PageFlags.Writable);
                return 0;
            }
            Memory.AllocatePage(TempAddress);
            Copy(TempAddress, Str1);
            Ipc.Send((ulong)child, 0, TempAddress, PageFlags.Writable);
            Ipc.Receive(out who, TempAddress);
            System.Console.WriteLine(Format.Hex(who) + " got message: " + Read(TempAddress));
            if (Read(TempAddress).StartsWith(Str2)) System.Console.WriteLine("parent received correct message");
            return 0;
        }
    }
}
