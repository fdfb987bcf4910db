// An inode's place on disk: its block and slot (0: the root directory's, in its first block's
// header). The inode number is CffsLayout.Ino(Block, Slot); embedded inodes move only on rename.
namespace ExoSharp.LibOS.ExOS.Cffs
{
    public struct Node
    {
        public uint Block;
        public int Slot;

        public Node(uint block, int slot)
        {
            Block = block;
            Slot = slot;
        }
    }
}
