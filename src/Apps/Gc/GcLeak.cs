// The `gcleak` program: a million short-lived objects in a heap capped at 16 MiB (ExOS's
// Memory.SetHeapLimit): without a collector it runs out of memory; with one the heap stays
// within its cap and the live data stays whole. Prints the collections and the heap it used.
using Console = System.Console;
using System;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Gc
{
    internal static class GcLeak
    {
        private sealed class Item { public Item Next; public long Value; public string Label; }

        public static int Main(string arguments)
        {
            Memory.SetHeapLimit(16UL << 20);
            Item keep = null;
            long sum = 0;
            for (int i = 0; i < 1_000_000; i++)
            {
                var item = new Item { Value = i, Label = (i & 1023) == 0 ? "kept " + i.ToString() : null };
                if ((i & 1023) == 0) { item.Next = keep; keep = item; }
                sum += item.Value;
            }
            int kept = 0;
            bool whole = true;
            for (Item k = keep; k != null; k = k.Next) { kept++; whole &= k.Label == "kept " + k.Value.ToString(); }
            Console.WriteLine("gcleak: 1000000 objects made (sum " + sum.ToString() + "), " + kept.ToString() + " kept and " + (whole ? "whole" : "DAMAGED") +
                              "; " + GC.CollectionCount(0).ToString() + " collections; heap mapped " + (Memory.HeapMapped >> 20).ToString() + " MiB of at most 16");
            return kept == 977 && whole && sum == 999_999L * 1_000_000 / 2 ? 0 : 1;
        }
    }
}
