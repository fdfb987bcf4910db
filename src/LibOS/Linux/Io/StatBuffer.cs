// Linux's struct stat (x86-64, 144 bytes) and struct statx (256 bytes) filled from ExOS's
// FileStat: one device (DeviceNumber) for the volume, 4096-byte blocks counted in 512-byte
// units, times in whole seconds (C-FFS keeps no nanoseconds). The caller checked the buffer.
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public static unsafe class StatBuffer
    {
        public const ulong DeviceNumber = 0x801;    // major 8, minor 1
        public const int StatSize = 144, StatxSize = 256;

        public static void WriteStat(byte* b, in FileStat st, ulong rdev)
        {
            System.Runtime.InteropServices.NativeMemory.Clear(b, StatSize);
            *(ulong*)(b + 0) = rdev != 0 ? 0x16 : DeviceNumber;   // st_dev (a character device: devtmpfs's)
            *(ulong*)(b + 8) = st.Ino;
            *(ulong*)(b + 16) = st.Nlink;
            *(uint*)(b + 24) = st.Mode;
            *(uint*)(b + 28) = st.Uid;
            *(uint*)(b + 32) = st.Gid;
            *(ulong*)(b + 40) = rdev;
            *(ulong*)(b + 48) = st.Size;
            *(long*)(b + 56) = rdev != 0 ? 1024 : 4096;          // st_blksize
            *(ulong*)(b + 64) = st.Blocks * 8;                    // st_blocks (512 bytes)
            *(ulong*)(b + 72) = st.Atime;
            *(ulong*)(b + 88) = st.Mtime;
            *(ulong*)(b + 104) = st.Ctime;
        }

        public static void WriteStatx(byte* b, in FileStat st, ulong rdev)
        {
            System.Runtime.InteropServices.NativeMemory.Clear(b, StatxSize);
            *(uint*)(b + 0) = 0x7FF;                              // STATX_BASIC_STATS
            *(uint*)(b + 4) = rdev != 0 ? 1024u : 4096u;
            *(uint*)(b + 16) = st.Nlink;
            *(uint*)(b + 20) = st.Uid;
            *(uint*)(b + 24) = st.Gid;
            *(ushort*)(b + 28) = (ushort)st.Mode;
            *(ulong*)(b + 32) = st.Ino;
            *(ulong*)(b + 40) = st.Size;
            *(ulong*)(b + 48) = st.Blocks * 8;
            *(ulong*)(b + 64) = st.Atime;
            *(ulong*)(b + 96) = st.Ctime;
            *(ulong*)(b + 112) = st.Mtime;
            *(uint*)(b + 128) = (uint)(rdev >> 8);
            *(uint*)(b + 132) = (uint)(rdev & 0xFF);
            ulong dev = rdev != 0 ? 0x16 : DeviceNumber;
            *(uint*)(b + 136) = (uint)(dev >> 8);
            *(uint*)(b + 140) = (uint)(dev & 0xFF);
        }
    }
}
