// Host only: the three libc calls that make executable and guard pages (Linux x86-64 values).
// Errors are returned as in C (MapFailed, -1); callers turn them into exceptions.
using System;
using System.Runtime.InteropServices;

namespace ExoSharp.Tools.FilterVerdicts
{
    internal static class Libc
    {
        public const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, ProtExec = 4;
        public const int MapPrivate = 2, MapAnonymous = 0x20;
        public static readonly IntPtr MapFailed = new IntPtr(-1);

        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr mmap(IntPtr address, UIntPtr length, int protection, int flags, int fd, IntPtr offset);

        [DllImport("libc", SetLastError = true)]
        public static extern int mprotect(IntPtr address, UIntPtr length, int protection);

        [DllImport("libc", SetLastError = true)]
        public static extern int munmap(IntPtr address, UIntPtr length);
    }
}
