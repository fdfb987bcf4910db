// What stat answers: the inode's fields and where it lives (Ino = block * 16 + slot).
namespace ExoSharp.LibOS.ExOS.Cffs
{
    public struct FileStat
    {
        public ulong Ino;
        public uint Mode, Uid, Gid, Nlink;
        public ulong Size, Atime, Mtime, Ctime;
        /// <summary>4096-byte blocks holding data (holes excluded).</summary>
        public ulong Blocks;
    }
}
