// The checked operations on honest input: roots, alloc, free, metadata and data writes, reads,
// fetch and evict, extents, and the registry they leave behind.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class OperationTests
    {
        [Fact]
        public void ARootBelongsToItsOwner()
        {
            var rig = new Rig();
            int index = rig.Xn.FindRoot("root"u8);
            Assert.True(index >= 0);
            Assert.Equal(rig.Root, rig.Xn.Root(index).Block);
            Assert.Equal(Rig.Owner, rig.Xn.OwnerOf(rig.Root));
            Assert.Equal(BlockState.Allocated, rig.Xn.Entry(rig.Root).State);
            Assert.Equal(-1, rig.Xn.FindRoot("nope"u8));
        }

        [Fact]
        public void RootNamesAreUniqueAndBounded()
        {
            var rig = new Rig();
            Assert.Equal(Error.BadArgument, rig.Xn.CreateRoot(Rig.Owner, "root"u8, rig.NextFree(), rig.DirectoryType, out _));
            Assert.Equal(Error.BadLength, rig.Xn.CreateRoot(Rig.Owner, "seventeen-bytes!!"u8, rig.NextFree(), rig.DirectoryType, out _));
            Assert.Equal(Error.BadLength, rig.Xn.CreateRoot(Rig.Owner, ""u8, rig.NextFree(), rig.DirectoryType, out _));
            Assert.Equal(Error.NoSuchType, rig.Xn.CreateRoot(Rig.Owner, "x"u8, rig.NextFree(), 9, out _));
            Assert.Equal(Error.BlockInUse, rig.Xn.CreateRoot(Rig.Owner, "x"u8, rig.Root, rig.DirectoryType, out _));
        }

        [Fact]
        public void AllocRecordsParentTypeAndOwner()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 3, out uint inode));
            BlockEntry entry = rig.Xn.Entry(inode);
            Assert.Equal(BlockState.Allocated, entry.State);
            Assert.Equal(rig.InodeType, entry.Type);
            Assert.Equal(rig.Root, entry.Parent);
            Assert.Equal(Rig.Owner, rig.Xn.OwnerOf(inode));
            Assert.False(rig.Xn.IsFree(inode));
            Assert.Equal(inode, rig.ReadWord(rig.Root, Rig.EntryOffset(3)));
            Assert.Equal(1, rig.Xn.Entry(rig.Root).Children);
        }

        [Fact]
        public void ANewBlockReadsAsZeros()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            var bytes = new byte[XnLayout.BlockSize];
            Assert.Equal((Error)0, rig.Xn.Read(Rig.Owner, inode, 0, bytes));
            Assert.All(bytes, b => Assert.Equal(0, b));
        }

        [Fact]
        public void DataBlocksAreWrittenFreelyByTheirOwner()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 42, out uint data));
            Assert.Equal((Error)0, rig.Xn.WriteData(Rig.Owner, data, 100, new byte[] { 1, 2, 3 }));
            Assert.Equal(42u, rig.ReadWord(data, 8));
            Assert.Equal(0x030201u, rig.ReadWord(data, 100));
        }

        [Fact]
        public void MetadataCannotBeWrittenAsData()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal(Error.BadArgument, rig.Xn.WriteData(Rig.Owner, inode, 8, Udfs.Word(100)));
        }

        [Fact]
        public void APointerPreservingMetadataWriteIsAllowed()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(12345)));
            Assert.Equal(12345u, rig.ReadWord(inode, 4));
        }

        [Fact]
        public void FreeMakesTheBlockReusableAfterTheParentIsWritten()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            rig.Flush();
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            Assert.Equal(BlockState.FreePending, rig.Xn.Entry(data).State);
            Assert.Equal(Error.FreePending, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(data), data, 1, 0));
            rig.Flush();
            Assert.True(rig.Xn.IsFree(data));
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(data), data, 1, 0));
        }

        [Fact]
        public void ABlockNeverOnDiskIsFreeAtOnce()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            Assert.Equal(2, rig.Xn.Entry(inode).Taint + rig.Xn.Entry(rig.Root).Taint);
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            Assert.True(rig.Xn.IsFree(data));
            Assert.Equal(0, rig.Xn.Entry(inode).Taint);
        }

        [Fact]
        public void AMetadataBlockThatOwnsBlocksCannotBeFreed()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            Assert.Equal(Error.BlockInUse, rig.RemoveEntry(rig.Root, 0, inode));
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            Assert.Equal((Error)0, rig.RemoveEntry(rig.Root, 0, inode));
        }

        [Fact]
        public void ExtentsAllocateAndFreeManyBlocksInOneRecord()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.ExtentList(8), out uint list, out _));
            rig.Flush();
            uint block = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "extents"u8, block, list, out _));
            uint start = block + 1;
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, block, 0, Udfs.Words(start, 10), start, 10, 0));
            Assert.Equal(10, rig.Xn.Entry(block).Children);
            // Grow the extent in place: only the new blocks are claimed.
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, block, 4, Udfs.Word(12), start + 10, 2, 0));
            // Split it: free the middle.
            Assert.Equal((Error)0, rig.Xn.Free(Rig.Owner, block, 0, Udfs.Words(start, 4, start + 5, 7), start + 4, 1));
            Assert.Equal(11, rig.Xn.Entry(block).Children);
        }

        [Fact]
        public void DeleteRootNeedsAnEmptyRootAndItsOwner()
        {
            var rig = new Rig();
            int index = rig.Xn.FindRoot("root"u8);
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal(Error.NotOwner, rig.Xn.DeleteRoot(Rig.Stranger, index));
            Assert.Equal(Error.BlockInUse, rig.Xn.DeleteRoot(Rig.Owner, index));
            Assert.Equal((Error)0, rig.RemoveEntry(rig.Root, 0, inode));
            Assert.Equal((Error)0, rig.Xn.DeleteRoot(Rig.Owner, index));
            Assert.Equal(-1, rig.Xn.FindRoot("root"u8));
            rig.Flush();
            Assert.True(rig.Xn.IsFree(rig.Root));
            rig.Remount();
            Assert.True(rig.Report.IsConsistent);
            Assert.Equal(0, rig.Report.Roots);
        }

        [Fact]
        public void FetchAndEvictFollowTheLibraryOsPolicy()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal(Error.BlockInUse, rig.Xn.Evict(inode));
            rig.Flush();
            Assert.Equal((Error)0, rig.Xn.Evict(inode));
            Assert.Equal(Error.NotInCore, rig.Xn.Read(Rig.Owner, inode, 0, new byte[4]));
            Assert.Equal(Error.NotInCore, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(1)));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, inode));
            Assert.Equal(Error.NotInCore, rig.Xn.Read(Rig.Owner, inode, 0, new byte[4]));
            rig.Disk.CompleteAll();
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(1)));
        }

        [Fact]
        public void AFailedReadLeavesTheBlockOutOfCore()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            rig.Flush();
            Assert.Equal((Error)0, rig.Xn.Evict(inode));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, inode));
            rig.Disk.Complete(0, ok: false);
            Assert.Equal(Error.NotInCore, rig.Xn.Read(Rig.Owner, inode, 0, new byte[4]));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, inode));
            rig.Disk.CompleteAll();
            Assert.Equal((Error)0, rig.Xn.Read(Rig.Owner, inode, 0, new byte[4]));
        }

        [Fact]
        public void AFailedWriteLeavesTheBlockDirty()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.Xn.StartWrite(inode));
            rig.Disk.Complete(0, ok: false);
            Assert.True(rig.Xn.Entry(inode).Dirty);
            Assert.False(rig.Xn.Entry(inode).OnDisk);
            Assert.Equal(1, rig.Xn.Entry(rig.Root).Taint);
            rig.Flush();
            Assert.True(rig.Xn.Entry(inode).OnDisk);
        }

        [Fact]
        public void TheCacheFillsWithoutCrashing()
        {
            var rig = new Rig(cache: 8);
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.ExtentList(8), out uint list, out _));
            rig.Flush();
            uint block = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "extents"u8, block, list, out _));
            uint slots = (uint)rig.Xn.FreeCacheSlots;
            Assert.Equal(Error.TableFull, rig.Xn.Alloc(Rig.Owner, block, 0, Udfs.Words(block + 1, slots + 1), block + 1, slots + 1, 0));
            Assert.Equal(0u, rig.ReadWord(block, 4));
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, block, 0, Udfs.Words(block + 1, slots), block + 1, slots, 0));
            Assert.Equal(0, rig.Xn.FreeCacheSlots);
            Assert.Equal(Error.TableFull, rig.CreateFile(rig.Root, 0, out _));
        }
    }
}
