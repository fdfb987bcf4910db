// Host only: puts machine code from the executive's compiler into fresh pages (mmap), makes them
// read+execute and never writable again (mprotect), and calls it through a function pointer with
// the System V convention. Used by tools/FilterVerdicts and tests/Executive (linked there).
// Linux x86-64 only. The kernel will do the same with its own page tables instead.
using System;
using System.Runtime.InteropServices;
using ExoSharp.Executive.Engines;

namespace ExoSharp.Tools.FilterVerdicts
{
    public sealed unsafe class ExecutableCode : IDisposable
    {
        private IntPtr _pages;
        private readonly UIntPtr _size;
        private readonly delegate* unmanaged[Cdecl]<byte*, uint, uint, RunContext*, uint> _entry;

        public ExecutableCode(byte[] code)
        {
            _size = (UIntPtr)(((ulong)code.Length + 4095) & ~4095ul);
            _pages = Libc.mmap(IntPtr.Zero, _size, Libc.ProtRead | Libc.ProtWrite, Libc.MapPrivate | Libc.MapAnonymous, -1, IntPtr.Zero);
            if (_pages == Libc.MapFailed) throw new InvalidOperationException("mmap failed: " + Marshal.GetLastPInvokeError());
            Marshal.Copy(code, 0, _pages, code.Length);
            if (Libc.mprotect(_pages, _size, Libc.ProtRead | Libc.ProtExec) != 0)
                throw new InvalidOperationException("mprotect failed: " + Marshal.GetLastPInvokeError());
            _entry = (delegate* unmanaged[Cdecl]<byte*, uint, uint, RunContext*, uint>)_pages;
        }

        public uint Run(byte* packet, uint length, uint wireLength, RunContext* context)
        {
            if (_pages == IntPtr.Zero) throw new ObjectDisposedException(nameof(ExecutableCode));
            return _entry(packet, length, wireLength, context);
        }

        public uint Run(ReadOnlySpan<byte> packet, uint wireLength)
        {
            fixed (byte* p = packet) return Run(p, (uint)packet.Length, wireLength, null);
        }

        public void Dispose()
        {
            if (_pages != IntPtr.Zero) Libc.munmap(_pages, _size);
            _pages = IntPtr.Zero;
        }
    }
}
