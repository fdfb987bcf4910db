// XN keeps the owns() result of a block's last checked change as the S0 of the next change to the
// same block (one run instead of two). These tests show the kept result never vouches for bytes it
// did not see: after a refused change (bytes restored) or the block leaving the cache and coming
// back, a forged pointer is still refused and the registry matches owns(). (Repair and Move forget
// it too; MoveTests and the repair tests run with it.)
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class KeptOwnsTests
    {
        [Fact]
        public void ASecondChangeToTheSameBlockRunsOwnsOnce()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out _));
            long runs = rig.Xn.Statistics.OwnsRuns;
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 1, out _));
            Assert.Equal(1, rig.Xn.Statistics.OwnsRuns - runs);
            rig.AssertRegistryConsistent();
        }

        [Fact]
        public void AForgedPointerRightAfterAKeptResultIsRefused()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out _));
            uint free = rig.NextFree();
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, rig.Root, Rig.EntryOffset(1), Udfs.Word(free)));
            Assert.Equal(0u, rig.ReadWord(rig.Root, Rig.EntryOffset(1)));
            // the refusal restored the bytes and forgot the kept result: the next change still checks
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, rig.Root, Rig.EntryOffset(2), Udfs.Word(free)));
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 3, out _));
            rig.AssertRegistryConsistent();
        }

        [Fact]
        public void AnAllocRefusedAfterTheCheckLeavesNothingKept()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out _));
            uint a = rig.NextFree(), b = rig.NextFree();
            // claims a but the bytes name b: owns() ran and the change was undone (ForgedPointer)
            Assert.Equal(Error.ForgedPointer, rig.Xn.Alloc(Rig.Owner, rig.Root, Rig.EntryOffset(1), Udfs.Word(b), a, 1, rig.InodeType));
            Assert.Equal(0u, rig.ReadWord(rig.Root, Rig.EntryOffset(1)));
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, rig.Root, Rig.EntryOffset(1), Udfs.Word(b)));
            Assert.True(rig.Xn.IsFree(a) && rig.Xn.IsFree(b));
            rig.AssertRegistryConsistent();
        }

        [Fact]
        public void ABlockThatLeftTheCacheIsCheckedAfresh()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 5, out uint data));
            rig.Flush();
            Assert.Equal((Error)0, rig.Xn.Evict(inode));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, inode));
            rig.Disk.CompleteAll();
            uint free = rig.NextFree();
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(free)));
            Assert.Equal(Error.LostPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(0)));
            Assert.Equal((Error)0, rig.RemoveData(inode, 0, data));
            rig.AssertRegistryConsistent();
        }
    }
}
