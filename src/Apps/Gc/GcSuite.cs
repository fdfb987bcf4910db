// The `gc` program: ExOS's collector under a program that checks its own live data. Live
// structures of every shape (a binary tree, a linked list, strings, an array of structs with
// references, interface-typed and generic references) survive while garbage many times the
// heap's size flows through it; an object held only by another user-level thread's stack, and
// one held only by the code an upcall interrupted (its registers and stack, saved on the
// exception stack), survive collections made by others; weak references die with their targets;
// emptied heap regions go back to the kernel. Each check prints what it saw.
using Console = System.Console;
using System;
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Gc
{
    internal static unsafe class GcSuite
    {
        private interface IShape { long Area(); }
        private sealed class Square : IShape { public long Side; public long Area() => Side * Side; }
        private sealed class Rectangle : IShape { public long W, H; public long Area() => W * H; }
        private sealed class Node { public Node Left, Right; public int Value; }
        private sealed class Link { public Link Next; public string Text; public int Value; }
        private struct Pair { public string Name; public object Boxed; public int Key; }
        private sealed class Box<T> { public T Value; public Box<T> Other; }

        private static int s_failures;
        /// <summary>"quick" (for gc=stress runs, where every 64th allocation collects): 1/64 of the garbage.</summary>
        private static int s_shift;

        public static int Main(string arguments)
        {
            s_shift = arguments == "quick" ? 6 : 0;
            Memory.SetHeapLimit(8UL << 20);
            Check("collector installed", Collector.Enabled ? 1 : 0, 1);
            LiveStructures();
            InterruptedByUpcall();
            OtherThreadStack();
            AllocatingThreads();
            WeakReferences();
            GiveBack();
            // gc=stress collects at every upcall as well (slice ends, the faults above).
            if (s_shift != 0) Check("collections as upcalls entered ExOS (gc=stress), at least one", Collector.UpcallCollections > 0 ? 1 : 0, 1);
            Console.WriteLine("gc: " + GC.CollectionCount(0).ToString() + " collections, heap mapped " + (Memory.HeapMapped >> 10).ToString() +
                              " KiB at most 8192, " + (s_failures == 0 ? "all checks passed" : s_failures.ToString() + " checks FAILED"));
            return s_failures == 0 ? 0 : 1;
        }

        private static void Check(string what, long got, long expected)
        {
            bool ok = got == expected;
            if (!ok) s_failures++;
            Console.WriteLine("gc: " + what + ": " + got.ToString() + (ok ? "" : " (expected " + expected.ToString() + ") FAILED"));
        }

        private static Node Tree(int depth, int value)
        {
            var n = new Node { Value = value };
            if (depth > 0) { n.Left = Tree(depth - 1, 2 * value); n.Right = Tree(depth - 1, 2 * value + 1); }
            return n;
        }

        private static long Sum(Node n) => n == null ? 0 : n.Value + Sum(n.Left) + Sum(n.Right);

        /// <summary>Garbage: about bytes in short-lived objects of several kinds.</summary>
        private static long Churn(long bytes)
        {
            long made = 0, sink = 0;
            while (made < bytes)
            {
                var t = Tree(4, 1);                                 // 31 nodes
                var s = "garbage " + made.ToString();
                var a = new int[64];
                a[63] = (int)made;
                sink += t.Value + s.Length + a[63];
                made += 31 * 40 + 2 * s.Length + 40 + 64 * 4 + 32;
            }
            return sink;
        }

        private static void LiveStructures()
        {
            Node tree = Tree(12, 1);
            long treeSum = Sum(tree);
            Link list = null;
            for (int i = 0; i < 10000; i++) list = new Link { Next = list, Value = i, Text = "item " + i.ToString() };
            var pairs = new Pair[1000];
            for (int i = 0; i < pairs.Length; i++) pairs[i] = new Pair { Name = "pair" + i.ToString(), Boxed = (object)(long)i, Key = i };
            var shapes = new IShape[500];
            for (int i = 0; i < shapes.Length; i++) shapes[i] = (i & 1) == 0 ? new Square { Side = i } : new Rectangle { W = i, H = 2 };
            var box = new Box<string> { Value = "generic", Other = new Box<string> { Value = "other" } };
            long before = GC.CollectionCount(0);
            long heapBefore = (long)Memory.HeapMapped;
            Churn((1024L << 20) >> s_shift);
            long collections = GC.CollectionCount(0) - before;
            ulong peak = Memory.HeapPeak;
            Console.WriteLine("gc: " + ((1024 << 10) >> s_shift).ToString() + " KiB of garbage through a heap of " + (heapBefore >> 10).ToString() + " KiB, at most " +
                              (peak >> 10).ToString() + " KiB so far (" + collections.ToString() + " collections)");
            Check("collections while churning at least 10", collections >= 10 ? 1 : 0, 1);
            // At least 100 times the heap at its largest, and 128 times its 8 MiB cap (not in the quick form).
            if (s_shift == 0) Check("garbage at least 100 times the heap at its largest", (1024UL << 20) >= 100 * peak ? 1 : 0, 1);
            Check("tree of depth 12, sum of values", Sum(tree), treeSum);
            long listSum = 0; int count = 0; bool texts = true;
            for (Link l = list; l != null; l = l.Next) { listSum += l.Value; count++; texts &= l.Text == "item " + l.Value.ToString(); }
            Check("list of 10000 links", count, 10000);
            Check("list values sum", listSum, 9999L * 10000 / 2);
            Check("list texts intact", texts ? 1 : 0, 1);
            long pairSum = 0; bool names = true;
            for (int i = 0; i < pairs.Length; i++) { pairSum += (long)pairs[i].Boxed + pairs[i].Key; names &= pairs[i].Name == "pair" + i.ToString(); }
            Check("array of structs with references, sum", pairSum, 2 * 999L * 1000 / 2);
            Check("array of structs, names intact", names ? 1 : 0, 1);
            long area = 0;
            for (int i = 0; i < shapes.Length; i++) area += shapes[i].Area();
            long expected = 0;
            for (int i = 0; i < shapes.Length; i++) expected += (i & 1) == 0 ? (long)i * i : (long)i * 2;
            Check("interface-typed shapes, total area", area, expected);
            Check("generic boxes intact", box.Value == "generic" && box.Other.Value == "other" ? 1 : 0, 1);
        }

        private static volatile int s_threadState;
        private static volatile int s_threadSum;

        private static void Holder()
        {
            Node mine = Tree(8, 3);                 // reachable only from this thread's stack
            int sum = (int)Sum(mine);
            s_threadState = 1;
            while (s_threadState == 1) Threads.Yield();
            s_threadSum = (int)Sum(mine) == sum && mine.Value == 3 ? sum : -1;
            s_threadState = 3;
        }

        private static void OtherThreadStack()
        {
            Threads.Initialize();
            Threads.Create(&Holder);
            while (s_threadState == 0) Threads.Yield();
            long before = GC.CollectionCount(0);
            Churn((32L << 20) >> s_shift);
            GC.Collect();
            long collections = GC.CollectionCount(0) - before;
            s_threadState = 2;
            while (s_threadState == 2) Threads.Yield();
            Check("a tree held only by another thread's stack, after " + collections.ToString() + " collections", s_threadSum, (int)Sum(Tree(8, 3)));
            Console.WriteLine("gc: thread switches " + Threads.Switches.ToString() + ", kept in the heap or a handler " + Threads.KeptInHandler.ToString());
        }

        private static volatile int s_buildersDone, s_builderErrors;

        /// <summary>Builds and checks trees until told to stop: allocation from the heap's area
        /// (runtime.asm's RhpNewFast) by threads that the slice preempts anywhere.</summary>
        private static void Builder()
        {
            int errors = 0;
            for (int i = 0; i < (4000 >> s_shift); i++)
            {
                Node t = Tree(6, i);
                if (Sum(t) != Sum(Tree(6, i))) errors++;
            }
            s_builderErrors += errors;
            s_buildersDone++;
        }

        /// <summary>Two threads allocate trees while this one churns: each thread's trees are whole
        /// (their nodes were never handed out twice) and the heap was busy at some slice ends.</summary>
        private static void AllocatingThreads()
        {
            ulong switches = Threads.Switches, kept = Threads.KeptInHandler;
            long before = GC.CollectionCount(0);
            Threads.Create(&Builder);
            Threads.Create(&Builder);
            long rounds = 0;
            while (s_buildersDone < 2)
            {
                Churn(1L << 16);
                rounds++;
            }
            Check("trees built by two preempted threads beside a third's garbage, damaged", s_builderErrors, 0);
            Console.WriteLine("gc: allocating threads: " + rounds.ToString() + " rounds of garbage, " + (GC.CollectionCount(0) - before).ToString() +
                              " collections, " + (Threads.Switches - switches).ToString() + " switches, " + (Threads.KeptInHandler - kept).ToString() +
                              " slice ends kept in the heap or a handler");
            Check("slice ends kept in the heap or a handler while the threads allocated, at least one", Threads.KeptInHandler - kept > 0 ? 1 : 0, 1);
        }

        private const ulong FaultPage = 0x5800_0000;
        private static int s_upcallCollections;

        private static void CollectInHandler(ExceptionFrame* frame)
        {
            if (frame->Vector != 14 || (frame->FaultAddress & ~4095UL) != FaultPage)
            {
                if (!Exceptions.RaiseManaged(frame)) SystemCall.Exit(99);
                return;
            }
            long before = GC.CollectionCount(0);
            Churn((4L << 20) >> s_shift);             // allocations and collections on the exception stack
            GC.Collect();
            s_upcallCollections = (int)(GC.CollectionCount(0) - before);
            Memory.AllocatePage(FaultPage);
        }

        private static void InterruptedByUpcall()
        {
            Exceptions.SetHandler(&CollectInHandler);
            Link held = new Link { Value = 77, Text = "held across an upcall" };
            Node tree = Tree(6, 5);
            long sum = Sum(tree);
            *(int*)FaultPage = held.Value;          // faults: the handler collects while we are stopped here
            Exceptions.InstallDefault();
            Check("objects held by code an upcall interrupted, after " + s_upcallCollections.ToString() + " collections in the handler",
                  held.Text == "held across an upcall" && *(int*)FaultPage == 77 && Sum(tree) == sum ? 1 : 0, 1);
        }

        private static WeakReference MakeWeak(out object strong)
        {
            strong = new Link { Value = 5, Text = "strong" };
            return new WeakReference(new Link { Value = 6, Text = "weak only" });
        }

        private static void WeakReferences()
        {
            WeakReference dead = MakeWeak(out object strong);
            var alive = new WeakReference(strong);
            var typed = new WeakReference<Link>((Link)strong);
            Churn(1L << 20);
            GC.Collect();
            Check("weak reference to an unreachable object after a collection is alive", dead.IsAlive ? 1 : 0, 0);
            Check("weak reference to a held object is alive", alive.IsAlive && alive.Target == strong ? 1 : 0, 1);
            Check("WeakReference<T>.TryGetTarget on a held object", typed.TryGetTarget(out Link l) && l.Value == 5 ? 1 : 0, 1);
            GC.KeepAlive(strong);
        }

        /// <summary>The arrays live only in this frame, which is below rsp (never scanned) once it
        /// returns; slice-end upcalls that interrupted it left their frames on the exception stack
        /// and this thread's registers in Threads' record: neither is scanned once stale.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static long FillAndDrop(out ulong full)
        {
            var big = new byte[64][];
            for (int i = 0; i < big.Length; i++) big[i] = new byte[60000];     // one a 64 KiB heap region
            full = Memory.HeapMapped;
            long total = GC.GetTotalMemory(false);
            GC.KeepAlive(big);
            return total;
        }

        private static void GiveBack()
        {
            long total = FillAndDrop(out ulong full);
            long after = GC.GetTotalMemory(true);
            // Only live stack words are roots (each stack from the rsp its code stopped at, the
            // exception stack's live upcall frames, the saved registers of threads not running):
            // the first collection frees the arrays. More work and collections only to show how
            // many it would have taken otherwise.
            int collections = 1;
            for (; total - after < (3L << 20) && collections < 8; collections++)
            {
                Churn(1L << 20);
                after = GC.GetTotalMemory(true);
            }
            ulong mapped = Memory.HeapMapped;
            Console.WriteLine("gc: 64 arrays of 60000 bytes dropped: heap in use " + (total >> 10).ToString() + " KiB, then " + (after >> 10).ToString() +
                              " KiB; mapped " + (full >> 10).ToString() + " KiB, then " + (mapped >> 10).ToString() + " KiB (" +
                              (Collector.ReleasedBytes >> 10).ToString() + " KiB given back in all)");
            Check("heap in use fell by at least 3 MiB", total - after >= (3L << 20) ? 1 : 0, 1);
            Check("collections it took (no stale stack word holds them)", collections, 1);
            Check("frames given back to the kernel", full > mapped ? 1 : 0, 1);
        }
    }
}
