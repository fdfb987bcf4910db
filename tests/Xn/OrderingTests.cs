// Write ordering: a parent is tainted until its new children are on disk; tainted blocks are never
// offered or written; a freed block waits for the parent without the pointer to reach the disk;
// nothing of a previous owner's can be read; a write is a snapshot.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class OrderingTests
    {
        private static uint[] Ready(Rig rig)
        {
            var ready = new uint[64];
            return ready.Take(rig.Xn.Writeback(ready)).ToArray();
        }

        [Fact]
        public void ATaintedParentIsNotOfferedUntilItsChildIsOnDisk()
        {
            var rig = new Rig();
            rig.Flush();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal(1, rig.Xn.Entry(rig.Root).Taint);
            Assert.Equal(new[] { inode }, Ready(rig));
            Assert.Equal(Error.Tainted, rig.Xn.StartWrite(rig.Root));
            Assert.Equal((Error)0, rig.Xn.StartWrite(inode));
            Assert.Empty(Ready(rig));
            rig.Disk.CompleteAll();
            Assert.Equal(0, rig.Xn.Entry(rig.Root).Taint);
            Assert.Equal(new[] { rig.Root }, Ready(rig));
        }

        [Fact]
        public void ChainsAreWrittenLeafFirst()
        {
            var rig = new Rig();
            rig.Flush();
            Assert.Equal((Error)0, rig.CreateDirectory(rig.Root, 12, out uint dir));
            Assert.Equal((Error)0, rig.CreateFile(dir, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 5, out uint data));
            var order = new List<uint>();
            for (int round = 0; round < 10; round++)
            {
                uint[] ready = Ready(rig);
                if (ready.Length == 0) break;
                foreach (uint b in ready) { Assert.Equal((Error)0, rig.Xn.StartWrite(b)); order.Add(b); }
                rig.Disk.CompleteAll();
            }
            Assert.Equal(new[] { data, inode, dir, rig.Root }, order);
        }

        [Fact]
        public void AWriteIsASnapshot()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.Xn.StartWrite(inode));
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(77)));
            Assert.Equal(Error.NotInCore, rig.Xn.StartWrite(inode));
            rig.Disk.CompleteAll();
            Assert.Equal(0u, BitConverter.ToUInt32(rig.Disk.Raw(inode), 4));
            Assert.True(rig.Xn.Entry(inode).Dirty);
            rig.Flush();
            Assert.Equal(77u, BitConverter.ToUInt32(rig.Disk.Raw(inode), 4));
        }

        [Fact]
        public void AFreedBlockWaitsForTheParentWriteThatDropsIt()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            rig.Flush();
            // A write of the inode still naming the block is in flight when the block is freed.
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(1)));
            Assert.Equal((Error)0, rig.Xn.StartWrite(inode));
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            rig.Disk.CompleteAll();
            Assert.Equal(BlockState.FreePending, rig.Xn.Entry(data).State);
            Assert.Equal((Error)0, rig.Xn.StartWrite(inode));
            rig.Disk.CompleteAll();
            Assert.True(rig.Xn.IsFree(data));
        }

        [Fact]
        public void ChildrenFreedFromAFreedParentAreReleasedWithIt()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            rig.Flush();
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            Assert.Equal((Error)0, rig.RemoveEntry(rig.Root, 0, inode));
            Assert.Equal(BlockState.FreePending, rig.Xn.Entry(data).State);
            Assert.Equal(BlockState.FreePending, rig.Xn.Entry(inode).State);
            Assert.Equal((Error)0, rig.Xn.StartWrite(rig.Root));
            rig.Disk.CompleteAll();
            Assert.True(rig.Xn.IsFree(inode));
            Assert.True(rig.Xn.IsFree(data));
        }

        [Fact]
        public void ABlockWithAWriteInFlightIsFreedOnlyWhenItEnds()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            Assert.Equal((Error)0, rig.Xn.StartWrite(data));
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            Assert.Equal(BlockState.FreePending, rig.Xn.Entry(data).State);
            Assert.Equal(0, rig.Xn.Entry(inode).Taint);
            rig.Disk.CompleteAll();
            Assert.True(rig.Xn.IsFree(data));
            Assert.Equal(0, rig.Xn.Entry(inode).Taint);
        }

        [Fact]
        public void APreviousOwnersDataCannotBeRead()
        {
            var rig = new Rig();
            uint free = rig.NextFree();
            Assert.Equal(Error.Uninitialised, rig.Xn.Fetch(Rig.Owner, free));
            Assert.Equal(Error.NotOwner, rig.Xn.Read(Rig.Owner, free, 0, new byte[4]));
            // Allocated but never written: reads come from the zeroed copy in core, never the disk.
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, inode));
            Assert.Equal(0, rig.Disk.Pending);
            Assert.Equal(0u, rig.ReadWord(inode, 100));
            Assert.Equal(0xDBDBDBDBu, BitConverter.ToUInt32(rig.Disk.Raw(inode), 100));
        }

        [Fact]
        public void AFreedBlockCannotBeFetched()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            rig.Flush();
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            Assert.Equal(Error.Uninitialised, rig.Xn.Fetch(Rig.Owner, data));
        }

        [Fact]
        public void AFullQueueIsAnErrorNotALoss()
        {
            var rig = new Rig();
            rig.Disk.QueueLimit = 1;
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint a));
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 1, out uint b));
            Assert.Equal((Error)0, rig.Xn.StartWrite(a));
            Assert.Equal(Error.TableFull, rig.Xn.StartWrite(b));
            Assert.True(rig.Xn.Entry(b).Dirty);
            rig.Disk.QueueLimit = 64;
            rig.Flush();
            Assert.True(rig.Xn.Entry(b).OnDisk);
        }

        [Fact]
        public void CompletionsOfUnknownTagsAreIgnored()
        {
            var rig = new Rig();
            rig.Xn.Completed(-1, true);
            rig.Xn.Completed(XnVolume.QueueDepth, true);
            rig.Xn.Completed(3, true);
            Assert.Equal(0, rig.Xn.InFlight());
        }
    }
}
