// Hostile input: each attack gets its own error code, the metadata bytes are restored, and the
// registry is unchanged. Lying UDFs, forged and hidden pointers, another owner's blocks,
// out-of-range blocks, malformed records, double pointers, bad lengths.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class HostileTests
    {
        private static (Rig rig, uint inode) WithFile()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            return (rig, inode);
        }

        private static byte[] Snapshot(Rig rig, uint block)
        {
            var bytes = new byte[XnLayout.BlockSize];
            Assert.Equal((Error)0, rig.Xn.Read(Rig.Owner, block, 0, bytes));
            return bytes;
        }

        [Fact]
        public void AWriteThatForgesAPointerIsRefusedAndUndone()
        {
            var (rig, inode) = WithFile();
            uint victim = rig.NextFree();
            byte[] before = Snapshot(rig, inode);
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(victim)));
            Assert.Equal(before, Snapshot(rig, inode));
            Assert.True(rig.Xn.IsFree(victim));
        }

        [Fact]
        public void AWriteThatPointsAtAnotherOwnersBlockIsAForgery()
        {
            var (rig, inode) = WithFile();
            uint other = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Stranger, "other"u8, other, rig.InodeType, out _));
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(other)));
            Assert.Equal(Rig.Stranger, rig.Xn.OwnerOf(other));
        }

        [Fact]
        public void AnAllocThatAlsoForgesASecondPointerIsRefused()
        {
            var (rig, inode) = WithFile();
            uint data = rig.NextFree(), extra = rig.NextFree();
            Assert.Equal(Error.ForgedPointer, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Words(data, extra), data, 1, 0));
            Assert.True(rig.Xn.IsFree(data));
            Assert.True(rig.Xn.IsFree(extra));
            Assert.Equal(0u, rig.ReadWord(inode, Rig.PointerOffset(0)));
        }

        [Fact]
        public void AnAllocWithTheWrongTypeIsAForgery()
        {
            var (rig, inode) = WithFile();
            uint dir = rig.NextFree();
            // The root's entry 0..11 are inodes: claiming a directory there does not match.
            Assert.Equal(Error.ForgedPointer, rig.Xn.Alloc(Rig.Owner, rig.Root, Rig.EntryOffset(1), Udfs.Word(dir), dir, 1, rig.DirectoryType));
        }

        [Fact]
        public void AnAllocWhosePointerTheUdfHidesIsRefused()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.FirstPointerOnly(), out uint hiding, out _));
            rig.Flush();
            uint block = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "hider"u8, block, hiding, out _));
            uint data = rig.NextFree();
            // Pointer slot 5 is invisible to this UDF: XN sees no new pointer, so the claim fails.
            Assert.Equal(Error.LostPointer, rig.Xn.Alloc(Rig.Owner, block, Rig.PointerOffset(5), Udfs.Word(data), data, 1, 0));
            Assert.True(rig.Xn.IsFree(data));
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, block, Rig.PointerOffset(0), Udfs.Word(data), data, 1, 0));
        }

        [Fact]
        public void AWriteThatDropsAPointerIsRefused()
        {
            var (rig, inode) = WithFile();
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            Assert.Equal(Error.LostPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(0)));
            Assert.Equal(data, rig.ReadWord(inode, Rig.PointerOffset(0)));
        }

        [Fact]
        public void AFreeThatKeepsThePointerIsRefused()
        {
            var (rig, inode) = WithFile();
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            Assert.Equal(Error.ForgedPointer, rig.Xn.Free(Rig.Owner, inode, 4, Udfs.Word(99), data, 1));
            Assert.Equal(BlockState.Allocated, rig.Xn.Entry(data).State);
        }

        [Fact]
        public void AFreeThatDropsMoreThanItClaimsIsRefused()
        {
            var (rig, inode) = WithFile();
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint a));
            Assert.Equal((Error)0, rig.AddData(inode, 1, 1, out uint b));
            Assert.Equal(Error.LostPointer, rig.Xn.Free(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Words(0, 0), a, 1));
            Assert.Equal(b, rig.ReadWord(inode, Rig.PointerOffset(1)));
        }

        [Fact]
        public void FreeingABlockOfAnotherParentIsRefused()
        {
            var (rig, inode) = WithFile();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 1, out uint second));
            Assert.Equal((Error)0, rig.AddData(second, 0, 1, out uint data));
            Assert.Equal(Error.NotOwner, rig.Xn.Free(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(0), data, 1));
        }

        [Fact]
        public void AnotherOwnerCannotChangeOrReadTheTree()
        {
            var (rig, inode) = WithFile();
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            uint block = rig.NextFree();
            Assert.Equal(Error.NotOwner, rig.Xn.Alloc(Rig.Stranger, inode, Rig.PointerOffset(1), Udfs.Word(block), block, 1, 0));
            Assert.Equal(Error.NotOwner, rig.Xn.Free(Rig.Stranger, inode, Rig.PointerOffset(0), Udfs.Word(0), data, 1));
            Assert.Equal(Error.NotOwner, rig.Xn.WriteMetadata(Rig.Stranger, inode, 4, Udfs.Word(1)));
            Assert.Equal(Error.NotOwner, rig.Xn.WriteData(Rig.Stranger, data, 0, Udfs.Word(1)));
            Assert.Equal(Error.NotOwner, rig.Xn.Read(Rig.Stranger, data, 0, new byte[4]));
            rig.Flush();
            Assert.Equal((Error)0, rig.Xn.Evict(data));
            Assert.Equal(Error.NotOwner, rig.Xn.Fetch(Rig.Stranger, data));
        }

        [Fact]
        public void AllocatingAnotherOwnersBlockIsRefused()
        {
            var (rig, inode) = WithFile();
            uint other = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Stranger, "other"u8, other, rig.InodeType, out _));
            Assert.Equal(Error.BlockInUse, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(other), other, 1, 0));
            Assert.Equal(Error.NoSuchBlock, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(XnLayout.CatalogueBlock), XnLayout.CatalogueBlock, 1, 0));
            Assert.Equal(Rig.Stranger, rig.Xn.OwnerOf(other));
        }

        [Fact]
        public void OutOfRangeBlocksAreRefused()
        {
            var (rig, inode) = WithFile();
            uint count = rig.Xn.BlockCount;
            Assert.Equal(Error.NoSuchBlock, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(count), count, 1, 0));
            Assert.Equal(Error.NoSuchBlock, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(count - 1), count - 1, 2, 0));
            Assert.Equal(Error.NoSuchBlock, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(0xFFFFFFFF), 0xFFFFFFFF, 2, 0));
            Assert.Equal(Error.NoSuchBlock, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(XnLayout.CatalogueBlock), XnLayout.CatalogueBlock, 1, 0));
            Assert.Equal(Error.NoSuchBlock, rig.Xn.WriteMetadata(Rig.Owner, count + 5, 0, Udfs.Word(1)));
            // A forged pointer past the disk's end is out of range before it is a forgery.
            Assert.Equal(Error.NoSuchBlock, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(count + 100)));
            Assert.Equal(Error.NoSuchBlock, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(XnLayout.SuperBlock + 1)));
            Assert.Equal(0u, rig.ReadWord(inode, Rig.PointerOffset(0)));
        }

        [Fact]
        public void BadOffsetsAndLengthsAreRefused()
        {
            var (rig, inode) = WithFile();
            Assert.Equal(Error.BadLength, rig.Xn.WriteMetadata(Rig.Owner, inode, XnLayout.BlockSize - 2, Udfs.Word(1)));
            Assert.Equal(Error.BadLength, rig.Xn.WriteMetadata(Rig.Owner, inode, -1, Udfs.Word(1)));
            Assert.Equal(Error.BadLength, rig.Xn.Read(Rig.Owner, inode, int.MaxValue, new byte[4]));
        }

        [Fact]
        public void APointerTwiceInOneBlockIsRefused()
        {
            var (rig, inode) = WithFile();
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            Assert.Equal(Error.BlockInUse, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(data)));
        }

        [Fact]
        public void AMalformedRecordIsALie()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.RawRecord(), out uint raw, out _));
            rig.Flush();
            uint block = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "raw"u8, block, raw, out _));
            uint data = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, block, 0, Udfs.Words(data, 1), data, 1, 0));
            // An extent whose count runs past the disk's end.
            Assert.Equal(Error.NoSuchBlock, rig.Xn.WriteMetadata(Rig.Owner, block, 4, Udfs.Word(0xFFFFFFFF)));
            Assert.Equal(data, rig.ReadWord(block, 0));
        }

        [Fact]
        public void AnEmptyRecordIsALie()
        {
            var rig = new Rig();
            var program = new[]
            {
                Instruction.Statement(Udfs.LdxImm, 0),
                Instruction.Statement(Udfs.LdCtxW, 8),
                Instruction.Jump(Udfs.JeqK, 0, 1, 0),
                Instruction.Statement(Udfs.EmitK, 0),
                Instruction.Statement(Udfs.RetK, 0),
            };
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(program, out uint type, out _));
            rig.Flush();
            uint block = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "empty"u8, block, type, out _));
            Assert.Equal(Error.UdfLied, rig.Xn.WriteMetadata(Rig.Owner, block, 8, Udfs.Word(100)));
            Assert.Equal(0u, rig.ReadWord(block, 8));
        }

        [Fact]
        public void AnUnknownTypeInARecordIsRefused()
        {
            var rig = new Rig();
            var program = new[]
            {
                Instruction.Statement(Udfs.LdxImm, 1),
                Instruction.Statement(Udfs.LdCtxW, 0),
                Instruction.Jump(Udfs.JeqK, 0, 1, 0),
                Instruction.Statement(Udfs.EmitK, 12),
                Instruction.Statement(Udfs.RetK, 0),
            };
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(program, out uint type, out _));
            rig.Flush();
            uint block = rig.NextFree(), child = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "typed"u8, block, type, out _));
            Assert.Equal(Error.NoSuchType, rig.Xn.Alloc(Rig.Owner, block, 0, Udfs.Word(child), child, 1, 12));
            Assert.Equal(Error.NoSuchType, rig.Xn.WriteMetadata(Rig.Owner, block, 0, Udfs.Word(child)));
        }

        [Fact]
        public void AUdfReadingPastTheBlockAtRunTimeGetsZeroNotACrash()
        {
            var rig = new Rig();
            // Indirect load at X + 4090 with X = the word at offset 0: checked at run time.
            var program = new[]
            {
                Instruction.Statement(Udfs.LdCtxW, 0),
                Instruction.Statement(Udfs.Tax, 0),
                Instruction.Statement(Opcode.Ld | Opcode.W | Opcode.Ind, 4090),
                Instruction.Jump(Udfs.JeqK, 0, 2, 0),
                Instruction.Statement(Udfs.LdxImm, 1),
                Instruction.Statement(Udfs.EmitK, 0),
                Instruction.Statement(Udfs.RetK, 0),
            };
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(program, out uint type, out _));
            rig.Flush();
            uint block = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "reader"u8, block, type, out _));
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, block, 0, Udfs.Word(100)));
        }

        [Fact]
        public void TheStrangerCannotDeleteOrShadowARoot()
        {
            var rig = new Rig();
            Assert.Equal(Error.NotOwner, rig.Xn.DeleteRoot(Rig.Stranger, rig.Xn.FindRoot("root"u8)));
            Assert.Equal(Error.BadArgument, rig.Xn.CreateRoot(Rig.Stranger, "root"u8, rig.NextFree(), rig.DirectoryType, out _));
            Assert.Equal(Error.BadArgument, rig.Xn.DeleteRoot(Rig.Owner, 1000));
        }
    }
}
