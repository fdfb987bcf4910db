// Visible revocation: the parent asks two children for 4 frames each. The complier frees
// them in its revoke upcall; the refuser keeps them, so at the deadline the kernel takes
// them by force: they vanish from its address space and appear in its repossession vector.
// `revoke heap`: the program drops 4 MiB of arrays and asks itself for frames; ExOS's collector
// gives the emptied heap regions back before the program's own handler runs, which frees
// nothing and sees the frames already gone (the kernel's count needs selfcheck=on).
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

        private static ulong s_releasedAtHandler, s_mappedAtHandler;
        private static volatile bool s_heapRevoked;

        /// <summary>Frees nothing: whatever went back before it ran was ExOS's doing.</summary>
        private static void HeapRevoked(ulong frames)
        {
            s_releasedAtHandler = Collector.ReleasedBytes;
            s_mappedAtHandler = Memory.HeapMapped;
            s_heapRevoked = true;
        }

        /// <summary>64 arrays of 60000 bytes (a 64 KiB heap region each), dropped on return.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static long FillAndDrop()
        {
            var big = new byte[64][];
            for (int i = 0; i < big.Length; i++) big[i] = new byte[60000];
            long sum = 0;
            for (int i = 0; i < big.Length; i++) sum += big[i].Length;
            return sum;
        }

        private static long KernelFrames()
        {
            KernelCheckInfo info;
            return SystemCall.KernelCheck(&info) < 0 ? -1 : (long)info.CallerFrames;
        }

        private static int Heap()
        {
            Exceptions.SetRevokeHandler(&HeapRevoked);
            long dropped = FillAndDrop();
            long framesBefore = KernelFrames();
            ulong mappedBefore = Memory.HeapMapped, releasedBefore = Collector.ReleasedBytes;
            int regionsBefore = Memory.HeapRegions;
            System.Console.WriteLine("revoke: heap: " + (dropped >> 10).ToString() + " KiB of arrays dropped; before the revocation: " + framesBefore.ToString() +
                                     " frames held (the kernel's count), heap mapped " + (mappedBefore >> 10).ToString() + " KiB in " + regionsBefore.ToString() + " regions");
            const ulong asked = 64;
            long r = SystemCall.Invoke(Syscall.Revoke, Capability.Self, asked);
            while (r == 0 && !s_heapRevoked) SystemCall.Yield();
            ulong given = s_releasedAtHandler - releasedBefore;
            long framesAfter = KernelFrames();
            System.Console.WriteLine("revoke: heap: asked for " + asked.ToString() + " frames (" + r.ToString() + "); before the program's handler ran ExOS gave back " +
                                     (given >> 10).ToString() + " KiB (" + (given / 4096).ToString() + " frames) of empty heap regions, heap mapped " +
                                     (s_mappedAtHandler >> 10).ToString() + " KiB");
            System.Console.WriteLine("revoke: heap: after: " + framesAfter.ToString() + " frames held (" + (framesBefore - framesAfter).ToString() + " fewer), heap mapped " +
                                     (Memory.HeapMapped >> 10).ToString() + " KiB in " + Memory.HeapRegions.ToString() + " regions");
            bool ok = r == 0 && given >= asked * 4096 && framesBefore - framesAfter >= (long)asked && s_mappedAtHandler < mappedBefore;
            System.Console.WriteLine("revoke: heap: " + (ok ? "the collector answered the revocation" : "nothing (or too little) given back FAILED"));
            return ok ? 0 : 1;
        }

        public static int Main(string arguments)
        {
            if (arguments == "heap") return Heap();
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
