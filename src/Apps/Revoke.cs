// Visible revocation: the parent asks two children for 4 frames each. The complier frees
// them in its revoke upcall; the refuser keeps them, so at the deadline the kernel takes
// them by force: they vanish from its address space and appear in its repossession vector.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class Revoke
    {
        private const ulong Scratch = 0x5000_0000;
        private const int Extra = 8;
        private static long[] s_handles;
        private static volatile bool s_gaveBack;

        private static void GiveBack(ulong frames)
        {
            for (ulong i = 0; i < frames; i++) SystemCall.FrameFree((ulong)s_handles[Extra - 1 - (int)i]);
            System.Console.WriteLine("revoke: complier asked for " + frames.ToString() + " frames: gave them back");
            s_gaveBack = true;
        }

        private static void Refuse(ulong frames) =>
            System.Console.WriteLine("revoke: refuser asked for " + frames.ToString() + " frames: keeping them");

        private static void TakeFrames()
        {
            s_handles = new long[Extra];
            for (int i = 0; i < Extra; i++)
            {
                s_handles[i] = SystemCall.FrameAlloc();
                SystemCall.PageMap(Capability.Self, Scratch + (ulong)i * 4096, (ulong)s_handles[i], PageFlags.Writable);
                *(ulong*)(Scratch + (ulong)i * 4096) = 0xF00D;
            }
        }

        private static int Complier(ulong parent)
        {
            Exceptions.SetRevokeHandler(&GiveBack);
            TakeFrames();
            Ipc.Send(parent, 1);
            while (!s_gaveBack) SystemCall.Yield();
            var vector = (RepossessionVector*)UserLayout.RepossessionVector;
            System.Console.WriteLine("revoke: complier's repossession vector holds " + vector->Count.ToString() + " frames");
            return 0;
        }

        private static int Refuser(ulong parent)
        {
            Exceptions.SetRevokeHandler(&Refuse);
            // A collection now copies the heap pages the fork shares (the collector writes mark bits):
            // the one ExOS runs on the Revoke upcall then copies none, so the scratch frames stay the
            // most recently acquired, the ones the kernel takes first.
            System.GC.Collect();
            TakeFrames();
            Ipc.Send(parent, 2);
            var vector = (RepossessionVector*)UserLayout.RepossessionVector;
            while (vector->Count == 0) SystemCall.Yield();
            int unmapped = 0;
            for (int i = 0; i < Extra; i++)
            {
                PageInfo info;
                SystemCall.PageQuery(Scratch + (ulong)i * 4096, &info);
                if (info.Flags == 0) unmapped++;
            }
            System.Console.WriteLine("revoke: refuser's repossession vector holds " + vector->Count.ToString() +
                                     " frames, and " + unmapped.ToString() + " of its pages are gone");
            return vector->Count == 4 && unmapped == 4 ? 0 : 1;
        }

        public static int Main(string arguments)
        {
            long complier = Process.Fork();
            if (complier == 0) return Complier(Process.Parent);
            long refuser = Process.Fork();
            if (refuser == 0) return Refuser(Process.Parent);
            Ipc.Receive(out _);
            Ipc.Receive(out _);
            System.Console.WriteLine("revoke: asking each child for 4 frames");
            long a = SystemCall.Invoke(Syscall.Revoke, (ulong)complier, 4);
            long b = SystemCall.Invoke(Syscall.Revoke, (ulong)refuser, 4);
            long c = SystemCall.Invoke(Syscall.Revoke, (ulong)refuser, 4);
            System.Console.WriteLine("revoke: requests " + a.ToString() + ", " + b.ToString() + "; a second one while pending " + c.ToString());
            return 0;
        }
    }
}
