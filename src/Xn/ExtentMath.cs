// Sorting and set difference over extent lists, the heart of a cheap induction check: the cost is
// O(r log r) in the records two owns() runs emitted, never in the blocks they cover or in the size of
// the owner's whole tree (XOK's checks grew with the owned set). Allocates nothing.
// Precondition: output arrays hold at least na + nb extents.
namespace ExoSharp.Xn;

public static class ExtentMath
{
    private const int SmallSort = 32;

    /// <summary>Sorts extents[0..count) by Block (no recursion, no allocation): insertion sort up
    /// to SmallSort records (an owns() run over a directory emits a few dozen, nearly in order),
    /// heapsort above, so the bound stays O(r log r).</summary>
    public static void Sort(Extent[] extents, int count)
    {
        if (count <= SmallSort)
        {
            for (int i = 1; i < count; i++)
            {
                Extent x = extents[i];
                int j = i;
                for (; j > 0 && extents[j - 1].Block > x.Block; j--) extents[j] = extents[j - 1];
                extents[j] = x;
            }
            return;
        }
        for (int i = count / 2 - 1; i >= 0; i--) SiftDown(extents, i, count);
        for (int end = count - 1; end > 0; end--)
        {
            Extent top = extents[0];
            extents[0] = extents[end];
            extents[end] = top;
            SiftDown(extents, 0, end);
        }
    }

    private static void SiftDown(Extent[] extents, int root, int count)
    {
        while (true)
        {
            int child = 2 * root + 1;
            if (child >= count) return;
            if (child + 1 < count && extents[child + 1].Block > extents[child].Block) child++;
            if (extents[root].Block >= extents[child].Block) return;
            Extent swap = extents[root];
            extents[root] = extents[child];
            extents[child] = swap;
            root = child;
        }
    }

    /// <summary>Precondition: sorted. True when two extents share a block.</summary>
    public static bool HasOverlap(Extent[] extents, int count)
    {
        for (int i = 1; i < count; i++)
            if (extents[i].Block < extents[i - 1].End) return true;
        return false;
    }

    /// <summary>Precondition: sorted, disjoint. Joins neighbours of one type; returns the new count.</summary>
    public static int Coalesce(Extent[] extents, int count)
    {
        if (count == 0) return 0;
        int n = 1;
        for (int i = 1; i < count; i++)
        {
            ref Extent last = ref extents[n - 1];
            if (extents[i].Type == last.Type && extents[i].Block == last.End)
                last.Count += extents[i].Count;
            else
                extents[n++] = extents[i];
        }
        return n;
    }

    /// <summary>The blocks of a that b does not name with the same type, into output; returns the
    /// count. Precondition: a and b sorted and disjoint each.</summary>
    public static int Subtract(Extent[] a, int na, Extent[] b, int nb, Extent[] output)
    {
        int n = 0, j = 0;
        for (int i = 0; i < na; i++)
        {
            ulong start = a[i].Block, end = a[i].End, current = start;
            while (j < nb && b[j].End <= start) j++;
            for (int k = j; k < nb && b[k].Block < end; k++)
            {
                if (b[k].Type != a[i].Type) continue;
                if (b[k].Block > current) output[n++] = new Extent((uint)current, (uint)(b[k].Block - current), a[i].Type);
                if (b[k].End > current) current = b[k].End;
            }
            if (current < end) output[n++] = new Extent((uint)current, (uint)(end - current), a[i].Type);
        }
        return n;
    }

    /// <summary>Total blocks in extents[0..count).</summary>
    public static ulong Blocks(Extent[] extents, int count)
    {
        ulong total = 0;
        for (int i = 0; i < count; i++) total += extents[i].Count;
        return total;
    }
}
