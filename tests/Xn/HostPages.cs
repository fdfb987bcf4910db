// The host tests' IPageSource: page-aligned native memory (NativeMemory.AlignedAlloc), zeroed, in
// chunks; a page's "frame" is its address / 4096. Pages are never given back one by one: they are
// all freed when the source is collected, so a source must outlive every volume (and queued disk
// request) using its pages: a Rig keeps one for all its volumes. Limit: a test can make it run dry.
using System.Runtime.InteropServices;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public sealed unsafe class HostPages : IPageSource
    {
        private const int ChunkPages = 64;
        private readonly List<nint> _chunks = new();
        private byte* _next;
        private int _left;

        /// <summary>Pages still to give before Take returns null (unlimited: int.MaxValue).</summary>
        public int Limit { get; set; } = int.MaxValue;
        public int Taken { get; private set; }

        public byte* Take(out ulong frame)
        {
            frame = 0;
            if (Taken >= Limit) return null;
            if (_left == 0)
            {
                nuint bytes = (nuint)(ChunkPages * XnLayout.BlockSize);
                _next = (byte*)NativeMemory.AlignedAlloc(bytes, (nuint)XnLayout.BlockSize);
                NativeMemory.Clear(_next, bytes);
                GC.AddMemoryPressure((long)bytes);
                _chunks.Add((nint)_next);
                _left = ChunkPages;
            }
            byte* page = _next;
            _next += XnLayout.BlockSize;
            _left--;
            Taken++;
            frame = (ulong)page / XnLayout.BlockSize;
            return page;
        }

        ~HostPages()
        {
            foreach (nint chunk in _chunks)
            {
                NativeMemory.AlignedFree((void*)chunk);
                GC.RemoveMemoryPressure(ChunkPages * XnLayout.BlockSize);
            }
        }
    }
}
