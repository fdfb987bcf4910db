// XN's move: block pointers handed from one parent to another in one checked call (both owns UDFs
// run before and after; both changes or neither), and exactly one parent naming the blocks on disk
// at every crash point: the move is logged in the superblock before `to` may be written, `from`
// waits for `to`, and mount redoes `from`'s change when `to` got there first.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class MoveTests
    {
        private static uint Fetched(Rig rig, uint block, int offset)
        {
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, block));
            rig.Disk.CompleteAll();
            return rig.ReadWord(block, offset);
        }

        /// <summary>Two directories under the root and a file with a data block in the first.</summary>
        private static (uint a, uint b, uint inode, uint data) Setup(Rig rig)
        {
            Assert.Equal((Error)0, rig.CreateDirectory(rig.Root, 12, out uint a));
            Assert.Equal((Error)0, rig.CreateDirectory(rig.Root, 13, out uint b));
            Assert.Equal((Error)0, rig.CreateFile(a, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 77, out uint data));
            rig.Flush();
            return (a, b, inode, data);
        }

        private static Error MoveFile(Rig rig, uint from, int fromSlot, uint to, int toSlot, uint inode) =>
            rig.Xn.Move(Rig.Owner, from, Rig.EntryOffset(fromSlot), Udfs.Word(0), to, Rig.EntryOffset(toSlot), Udfs.Word(inode));

        [Fact]
        public void AMoveHandsTheBlockToItsNewParent()
        {
            var rig = new Rig();
            var (a, b, inode, data) = Setup(rig);
            Assert.Equal((Error)0, MoveFile(rig, a, 0, b, 3, inode));
            Assert.Equal(b, rig.Xn.Entry(inode).Parent);
            rig.AssertRegistryConsistent();
            rig.Flush();
            rig.Remount();
            Assert.True(rig.Report.IsConsistent);
            Assert.Equal(0, rig.Report.MovesRedone);
            Assert.Equal(0u, Fetched(rig, a, Rig.EntryOffset(0)));
            Assert.Equal(inode, Fetched(rig, b, Rig.EntryOffset(3)));
            Assert.Equal(b, rig.Xn.Entry(inode).Parent);
            Assert.Equal(inode, rig.Xn.Entry(data).Parent);
        }

        [Fact]
        public void LyingMovesAreRefusedAndChangeNothing()
        {
            var rig = new Rig();
            var (a, b, inode, _) = Setup(rig);
            Assert.Equal((Error)0, rig.CreateFile(b, 5, out uint other));
            Assert.Equal(Error.BadArgument, rig.Xn.Move(Rig.Owner, a, Rig.EntryOffset(0), Udfs.Word(inode), b, Rig.EntryOffset(3), Udfs.Word(inode)));   // from drops nothing
            Assert.Equal(Error.LostPointer, rig.Xn.Move(Rig.Owner, a, Rig.EntryOffset(0), Udfs.Word(0), b, Rig.EntryOffset(3), Udfs.Word(0)));
            Assert.Equal(inode, rig.ReadWord(a, Rig.EntryOffset(0)));      // from's bytes restored after to's refusal
            Assert.Equal(Error.ForgedPointer, rig.Xn.Move(Rig.Owner, a, Rig.EntryOffset(0), Udfs.Word(0), b, Rig.EntryOffset(12), Udfs.Word(inode))); // a directory slot: wrong type
            Assert.Equal(Error.NotOwner, rig.Xn.Move(Rig.Stranger, a, Rig.EntryOffset(0), Udfs.Word(0), b, Rig.EntryOffset(3), Udfs.Word(inode)));
            Assert.Equal(Error.BadArgument, MoveFile(rig, b, 0, a, 3, inode)); // b names nothing there: nothing moves
            Assert.Equal(Error.BlockInUse, rig.Xn.Move(Rig.Owner, a, Rig.EntryOffset(0), Udfs.Word(0), b, Rig.EntryOffset(3), Udfs.Words(inode, 0, 0, 0, 0, 0, 0, 0, other)));   // to names its own child twice
            Assert.Equal(Error.BadArgument, MoveFile(rig, a, 0, a, 3, inode)); // one block: a plain write does it
            Assert.Equal(Error.BadArgument, rig.Xn.Move(Rig.Owner, rig.Root, Rig.EntryOffset(12), Udfs.Word(0), a, Rig.EntryOffset(12), Udfs.Word(a))); // into itself
            Assert.Equal(Error.LostPointer, MoveFile(rig, a, 0, b, 3, 0));      // to names fewer
            Assert.Equal(inode, rig.ReadWord(a, Rig.EntryOffset(0)));
            Assert.Equal(0u, rig.ReadWord(b, Rig.EntryOffset(3)));
            Assert.Equal(a, rig.Xn.Entry(inode).Parent);
            rig.AssertRegistryConsistent();
            _ = other;
        }

        [Fact]
        public void ABlockInAMoveCannotBeFreedOrMovedAgainUntilItIsDone()
        {
            var rig = new Rig();
            var (a, b, inode, _) = Setup(rig);
            Assert.Equal((Error)0, MoveFile(rig, a, 0, b, 3, inode));
            Assert.Equal(Error.BlockInUse, MoveFile(rig, b, 3, a, 1, inode));
            Assert.Equal(Error.Tainted, rig.Xn.StartWrite(b));                 // the log first
            Assert.Equal(Error.Tainted, rig.Xn.StartWrite(a));
            rig.Flush();
            Assert.Equal((Error)0, MoveFile(rig, b, 3, a, 1, inode));
            rig.Flush();
            rig.AssertRegistryConsistent();
        }

        /// <summary>A file moved back and forth between two directories (and a second file created and
        /// deleted beside it) while writes go out in random order; the run is cut at every disk event
        /// with a random prefix of the queued writes, and after each remount exactly one directory
        /// names the file, mount finds nothing wrong, and its data block is intact.</summary>
        [Fact]
        public void OppositeMovesDoNotWaitForEachOtherForEver()
        {
            var rig = new Rig();
            var (a, b, inode, _) = Setup(rig);
            Assert.Equal((Error)0, rig.CreateFile(b, 1, out uint other));
            rig.Flush();
            Assert.Equal((Error)0, MoveFile(rig, a, 0, b, 3, inode));
            Assert.Equal(Error.BlockInUse, MoveFile(rig, b, 1, a, 4, other));   // b would wait for a, a waits for b
            rig.Flush();
            Assert.Equal((Error)0, MoveFile(rig, b, 1, a, 4, other));
            rig.Flush();
            Assert.Equal(0, rig.Disk.Pending);
            rig.AssertRegistryConsistent();
            Assert.False(rig.Xn.Entry(inode).Moving);
            Assert.False(rig.Xn.Entry(other).Moving);
        }

        [Fact]
        public void ExactlyOneParentAtEveryCrashPoint()
        {
            int redone = 0, points = 0;
            for (int stop = 1; stop < 160; stop++)
            {
                var rig = new Rig();
                var (a, b, inode, data) = Setup(rig);
                var random = new Random(stop);
                var ready = new uint[256];
                uint where = a;
                int slot = 0, events = 0;
                bool cut = false;
                for (int step = 0; step < 200 && !cut; step++)
                {
                    int action = random.Next(10);
                    if (action < 3)
                    {
                        uint to = where == a ? b : a;
                        int toSlot = random.Next(6);
                        Error e = MoveFile(rig, where, slot, to, toSlot, inode);
                        Assert.True(e == 0 || e == Error.BlockInUse || e == Error.TableFull, $"move: {e}");
                        if (random.Next(4) == 0 && e == 0)
                        {
                            // a second file the other way at once: the wait cycle is refused, not a deadlock
                            Error back = rig.CreateFile(to, 7, out uint other);
                            if (back == 0)
                            {
                                back = MoveFile(rig, to, 7, where, 8, other);
                                Assert.True(back == 0 || back == Error.BlockInUse, $"move back: {back}");
                            }
                        }
                        if (e == 0) { where = to; slot = toSlot; }
                    }
                    else if (action < 4)
                    {
                        Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word((uint)step)));
                    }
                    else
                    {
                        int n = rig.Xn.Writeback(ready);
                        for (int i = 0; i < n; i++) if (random.Next(2) == 0) rig.Xn.StartWrite(ready[i]);
                        while (rig.Disk.Pending > 0 && random.Next(3) != 0)
                        {
                            rig.Disk.Complete(random.Next(rig.Disk.Pending));
                            if (++events == stop) { cut = true; break; }
                        }
                    }
                    if (step % 10 == 0) rig.AssertRegistryConsistent();
                }
                rig.Disk.Crash(random.Next(rig.Disk.Pending + 1));
                rig.Remount();
                points++;
                redone += rig.Report.MovesRedone;
                Assert.True(rig.Report.IsConsistent, $"stop {stop}: mount problems");
                uint parent = rig.Xn.Entry(inode).Parent;
                Assert.True(parent == a || parent == b, $"stop {stop}: the file's parent is {parent}");
                int named = 0;
                foreach (uint dir in new[] { a, b })
                    for (int s = 0; s < 6; s++)
                        if (Fetched(rig, dir, Rig.EntryOffset(s)) == inode) named++;
                Assert.Equal(1, named);
                Assert.Equal(inode, rig.Xn.Entry(data).Parent);
                Assert.Equal(77u, BitConverter.ToUInt32(rig.Disk.Raw(data), 8));
            }
            Assert.True(redone > 0, $"no crash point fell between the writes of to and from ({points} points)");
        }
    }
}
