// Host only: two pages, read-write then inaccessible. Data placed at the end of the first page
// faults on any read past its end, so a test that survives proves loads stayed in bounds.
using System;

namespace ExoSharp.Tools.FilterVerdicts
{
    public sealed unsafe class GuardedBuffer : IDisposable
    {
        private IntPtr _pages;

        public GuardedBuffer()
        {
            _pages = Libc.mmap(IntPtr.Zero, (UIntPtr)8192, Libc.ProtRead | Libc.ProtWrite, Libc.MapPrivate | Libc.MapAnonymous, -1, IntPtr.Zero);
            if (_pages == Libc.MapFailed) throw new InvalidOperationException("mmap failed");
            if (Libc.mprotect(_pages + 4096, (UIntPtr)4096, Libc.ProtNone) != 0) throw new InvalidOperationException("mprotect failed");
        }

        /// <summary>Copies data so that its last byte is the last byte before the guard page.</summary>
        public byte* Place(ReadOnlySpan<byte> data)
        {
            if (data.Length > 4096) throw new ArgumentException("at most one page");
            byte* at = (byte*)_pages + 4096 - data.Length;
            data.CopyTo(new Span<byte>(at, data.Length));
            return at;
        }

        public void Dispose()
        {
            if (_pages != IntPtr.Zero) Libc.munmap(_pages, (UIntPtr)8192);
            _pages = IntPtr.Zero;
        }
    }
}
