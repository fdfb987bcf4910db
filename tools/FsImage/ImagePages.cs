// The host's IPageSource for XN: page-aligned native memory whose "frame" is its address / 4096,
// never given back (a tool's volume lives as long as the process).
using System.Runtime.InteropServices;
using ExoSharp.Xn;

namespace ExoSharp.Tools.FsImage
{
    public sealed unsafe class ImagePages : IPageSource
    {
        public byte* Take(out ulong frame)
        {
            var page = (byte*)NativeMemory.AlignedAlloc(XnLayout.BlockSize, XnLayout.BlockSize);
            NativeMemory.Clear(page, XnLayout.BlockSize);
            frame = (ulong)page / XnLayout.BlockSize;
            return page;
        }
    }
}
