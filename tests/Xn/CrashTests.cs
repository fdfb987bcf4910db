// Crash consistency: a tiny file system (directories, inodes, data, extent lists) changes through XN while
// writes are started and completed in random order; the run is cut at every disk event, a random
// prefix of the queued writes survives, and the disk is remounted. Mount must find no problem,
// every reachable block must have been written since its latest allocation (no previous owner's
// data behind a pointer), and every data block must carry its own inode's stamp.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class CrashTests
    {
        private sealed class Run
        {
            public Rig Rig;
            public Dictionary<uint, int> AllocMark = new();
            public int Events;
            public uint ExtentType;
            public List<uint> ExtentRoots = new();
            public int ExtentChanges;
        }

        private const int ExtentEntries = 8;

        /// <summary>Runs the seeded workload until `stopAt` disk events (or the end), then crashes.</summary>
        private static Run Workload(int seed, int steps, int stopAt, out bool stopped, bool checkRegistry = false)
        {
            var run = new Run { Rig = new Rig(blocks: 128, cache: 120) };
            Rig rig = run.Rig;
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.ExtentList(ExtentEntries), out run.ExtentType, out _));
            rig.Flush();
            var random = new Random(seed);
            var files = new List<(uint dir, int slot, uint inode, uint[] data)>();
            var dirs = new List<uint> { rig.Root };
            var ready = new uint[128];
            stopped = false;
            for (int step = 0; step < steps; step++)
            {
                if (checkRegistry) rig.AssertRegistryConsistent();
                int action = random.Next(100);
                if (action < 12) CreateFile(run, random, files, dirs);
                else if (action < 16) CreateDirectory(run, random, dirs);
                else if (action < 36) AddData(run, random, files);
                else if (action < 44) RemoveData(run, random, files);
                else if (action < 50) DeleteFile(run, random, files);
                else if (action < 53) Attack(run, random, files);
                else if (action < 55) RootChange(run, random, files, dirs);
                else if (action < 67) ExtentChange(run, random);
                else if (action < 70 && files.Count > 0)
                {
                    var f = files[random.Next(files.Count)];
                    Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, f.inode, 4, Udfs.Word((uint)random.Next())));
                }
                else if (action < 85)
                {
                    int n = rig.Xn.Writeback(ready);
                    for (int i = 0; i < n; i++)
                    {
                        if (random.Next(3) == 0) continue;
                        Error error = rig.Xn.StartWrite(ready[i]);
                        if (error == Error.TableFull) break;
                        Assert.Equal((Error)0, error);
                    }
                }
                else
                {
                    for (int k = random.Next(1, 4); k > 0 && rig.Disk.Pending > 0; k--)
                    {
                        if (run.Events++ == stopAt) { stopped = true; return run; }
                        rig.Disk.Complete(random.Next(rig.Disk.Pending), ok: random.Next(20) != 0);
                    }
                }
            }
            return run;
        }

        /// <summary>A hostile change (a random pointer word, by the owner or a stranger) is refused,
        /// unless it changes nothing, and leaves the inode as it was.</summary>
        private static void Attack(Run run, Random random, List<(uint, int, uint inode, uint[] data)> files)
        {
            if (files.Count == 0) return;
            var f = files[random.Next(files.Count)];
            int index = random.Next(Udfs.InodePointers);
            uint current = run.Rig.ReadWord(f.inode, Rig.PointerOffset(index));
            uint forged = random.Next(2) == 0 ? (uint)random.Next((int)run.Rig.Xn.BlockCount + 8) : (uint)random.Next();
            ulong caller = random.Next(4) == 0 ? Rig.Stranger : Rig.Owner;
            Error error = run.Rig.Xn.WriteMetadata(caller, f.inode, Rig.PointerOffset(index), Udfs.Word(forged));
            if (forged == current && caller == Rig.Owner) Assert.Equal((Error)0, error);
            else Assert.NotEqual((Error)0, error);
            Assert.Equal(current, run.Rig.ReadWord(f.inode, Rig.PointerOffset(index)));
        }

        /// <summary>An extent-list root: a new extent of 1-4 blocks, or one grown, shrunk or freed in
        /// place (the records change shape: the checks work on extents, not blocks).</summary>
        private static void ExtentChange(Run run, Random random)
        {
            Rig rig = run.Rig;
            XnVolume xn = rig.Xn;
            if (run.ExtentRoots.Count == 0 || random.Next(10) == 0)
            {
                uint block = rig.NextFree();
                if (block == XnVolume.NoBlock) return;
                byte[] name = System.Text.Encoding.ASCII.GetBytes("x" + random.Next(1000));
                Error error = xn.CreateRoot(Rig.Owner, name, block, run.ExtentType, out _);
                if (error == Error.BadArgument || error == Error.TableFull) return;
                Assert.Equal((Error)0, error);
                Mark(run, block);
                run.ExtentRoots.Add(block);
                return;
            }
            uint root = run.ExtentRoots[random.Next(run.ExtentRoots.Count)];
            int e = random.Next(ExtentEntries);
            uint start = rig.ReadWord(root, 8 * e), count = rig.ReadWord(root, 8 * e + 4);
            if (count == 0)
            {
                uint n = (uint)random.Next(1, 5), first = rig.NextFree();
                if (first == XnVolume.NoBlock) return;
                if (first + n > xn.BlockCount) n = xn.BlockCount - first;
                for (uint b = first + 1; b < first + n; b++) if (!xn.IsFree(b)) { n = b - first; break; }
                Error error = xn.Alloc(Rig.Owner, root, 8 * e, Udfs.Words(first, n), first, n, 0);
                if (error == Error.TableFull) return;
                Assert.Equal((Error)0, error);
                for (uint b = first; b < first + n; b++)
                {
                    Mark(run, b);
                    Assert.Equal((Error)0, xn.WriteData(Rig.Owner, b, 0, Udfs.Words(root, (uint)e, (uint)random.Next())));
                }
                run.ExtentChanges++;
                return;
            }
            int choice = random.Next(3);
            uint end = start + count;
            if (choice == 0 && end < xn.BlockCount && xn.IsFree(end))
            {
                Error error = xn.Alloc(Rig.Owner, root, 8 * e + 4, Udfs.Word(count + 1), end, 1, 0);
                if (error == Error.TableFull) return;
                Assert.Equal((Error)0, error);
                Mark(run, end);
                Assert.Equal((Error)0, xn.WriteData(Rig.Owner, end, 0, Udfs.Words(root, (uint)e, (uint)random.Next())));
                run.ExtentChanges++;
            }
            else if (choice == 1 && count > 1)
            {
                Assert.Equal((Error)0, xn.Free(Rig.Owner, root, 8 * e + 4, Udfs.Word(count - 1), end - 1, 1));
                run.ExtentChanges++;
            }
            else if (choice == 2)
            {
                Assert.Equal((Error)0, xn.Free(Rig.Owner, root, 8 * e, Udfs.Words(0, 0), start, count));
                run.ExtentChanges++;
            }
        }

        /// <summary>Creates a root (a directory) or deletes an empty one other than the first.</summary>
        private static void RootChange(Run run, Random random, List<(uint dir, int, uint, uint[])> files, List<uint> dirs)
        {
            XnVolume xn = run.Rig.Xn;
            if (random.Next(2) == 0)
            {
                uint block = run.Rig.NextFree();
                if (block == XnVolume.NoBlock) return;
                byte[] name = System.Text.Encoding.ASCII.GetBytes("r" + random.Next(1000));
                Error error = xn.CreateRoot(Rig.Owner, name, block, run.Rig.DirectoryType, out _);
                if (error == Error.BadArgument || error == Error.TableFull) return;
                Assert.Equal((Error)0, error);
                Mark(run, block);
                dirs.Add(block);
                return;
            }
            for (int i = 1; i < XnLayout.MaxRoots; i++)
            {
                RootEntry root = xn.Root(i);
                if (!root.InUse || !dirs.Contains(root.Block) || xn.Entry(root.Block).Children != 0) continue;
                Assert.Equal((Error)0, xn.DeleteRoot(Rig.Owner, i));
                dirs.Remove(root.Block);
                return;
            }
        }

        private static void Mark(Run run, uint block) => run.AllocMark[block] = run.Rig.Disk.Writes(block);

        private static void CreateFile(Run run, Random random, List<(uint, int, uint, uint[])> files, List<uint> dirs)
        {
            uint dir = dirs[random.Next(dirs.Count)];
            int slot = random.Next(Udfs.DirectoryFiles);
            if (files.Any(f => f.Item1 == dir && f.Item2 == slot)) return;
            Error error = run.Rig.CreateFile(dir, slot, out uint inode);
            if (error == Error.NoMemory) return;
            Assert.Equal((Error)0, error);
            Mark(run, inode);
            files.Add((dir, slot, inode, new uint[Udfs.InodePointers]));
        }

        private static void CreateDirectory(Run run, Random random, List<uint> dirs)
        {
            uint dir = dirs[random.Next(dirs.Count)];
            int slot = Udfs.DirectoryFiles + random.Next(Udfs.DirectoryEntries - Udfs.DirectoryFiles);
            if (run.Rig.ReadWord(dir, Rig.EntryOffset(slot)) != 0) return;
            Error error = run.Rig.CreateDirectory(dir, slot, out uint child);
            if (error == Error.NoMemory) return;
            Assert.Equal((Error)0, error);
            Mark(run, child);
            dirs.Add(child);
        }

        private static void AddData(Run run, Random random, List<(uint, int, uint inode, uint[] data)> files)
        {
            if (files.Count == 0) return;
            var f = files[random.Next(files.Count)];
            int index = Array.IndexOf(f.data, 0u);
            if (index < 0) return;
            Error error = run.Rig.AddData(f.inode, index, (uint)random.Next(), out uint data);
            if (error == Error.NoMemory) return;
            Assert.Equal((Error)0, error);
            Mark(run, data);
            f.data[index] = data;
        }

        private static void RemoveData(Run run, Random random, List<(uint, int, uint inode, uint[] data)> files)
        {
            if (files.Count == 0) return;
            var f = files[random.Next(files.Count)];
            int index = random.Next(Udfs.InodePointers);
            if (f.data[index] == 0) return;
            Assert.Equal((Error)0, run.Rig.RemoveData(f.inode, index, f.data[index]));
            f.data[index] = 0;
        }

        private static void DeleteFile(Run run, Random random, List<(uint dir, int slot, uint inode, uint[] data)> files)
        {
            if (files.Count == 0) return;
            int which = random.Next(files.Count);
            var f = files[which];
            for (int i = 0; i < f.data.Length; i++)
                if (f.data[i] != 0) Assert.Equal((Error)0, run.Rig.RemoveData(f.inode, i, f.data[i]));
            Assert.Equal((Error)0, run.Rig.RemoveEntry(f.dir, f.slot, f.inode));
            files.RemoveAt(which);
        }

        private static void CrashAndCheck(Run run, int prefix)
        {
            Rig rig = run.Rig;
            rig.Disk.Crash(prefix);
            rig.Remount(120);
            Assert.True(rig.Report.IsConsistent, string.Join(", ", rig.Report.Problems.ToArray().Select(p => $"{p.Error} block {p.Block} parent {p.Parent}")));
            for (uint b = XnLayout.FirstAllocatable; b < rig.Xn.BlockCount; b++)
            {
                BlockEntry entry = rig.Xn.Entry(b);
                if (entry.State != BlockState.Allocated) continue;
                if (run.AllocMark.TryGetValue(b, out int mark))
                    Assert.True(rig.Disk.Writes(b) > mark, $"block {b} is reachable but was not written since its allocation");
                if (entry.Type != 0) continue;
                byte[] raw = rig.Disk.Raw(b);
                uint stampInode = BitConverter.ToUInt32(raw, 0), stampIndex = BitConverter.ToUInt32(raw, 4);
                bool zeros = raw.Take(12).All(x => x == 0);
                Assert.True(zeros || stampInode == entry.Parent, $"data block {b} holds inode {stampInode}'s data but belongs to {entry.Parent}");
                if (zeros) continue;
                byte[] parent = rig.Disk.Raw(entry.Parent);
                if (rig.Xn.Entry(entry.Parent).Type == run.ExtentType)
                {
                    uint first = BitConverter.ToUInt32(parent, 8 * (int)stampIndex), length = BitConverter.ToUInt32(parent, 8 * (int)stampIndex + 4);
                    Assert.True(b >= first && b < first + length, $"block {b} is not in extent {stampIndex} of {entry.Parent}");
                }
                else Assert.Equal(b, BitConverter.ToUInt32(parent, Rig.PointerOffset((int)stampIndex)));
            }
            // The file system carries on after the crash, and stays consistent.
            Assert.True(rig.Xn.CountFree() > 0);
            rig.Flush();
            rig.Remount(120);
            Assert.True(rig.Report.IsConsistent);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void ACrashAtEveryDiskEventLeavesAConsistentDisk(int seed)
        {
            const int steps = 400;
            Run full = Workload(seed, steps, -1, out _, checkRegistry: true);
            int events = full.Events;
            Assert.True(events > 50, $"only {events} disk events");
            Assert.True(full.ExtentChanges >= 5, $"only {full.ExtentChanges} extent changes");
            var random = new Random(seed * 7919);
            for (int stopAt = 0; stopAt <= events; stopAt++)
            {
                Run run = Workload(seed, steps, stopAt, out _);
                CrashAndCheck(run, random.Next(run.Rig.Disk.Pending + 1));
            }
        }

        [Fact]
        public void TheCheckerCatchesAWriteOutOfOrder()
        {
            // Negative control: the parent's pointer reaches the disk before the child, behind XN's back.
            var rig = new Rig();
            rig.Flush();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            int mark = rig.Disk.Writes(inode);
            var bytes = new byte[XnLayout.BlockSize];
            Assert.Equal((Error)0, rig.Xn.Read(Rig.Owner, rig.Root, 0, bytes));
            rig.Disk.Write(rig.Root, bytes);
            rig.Remount();
            Assert.Equal(BlockState.Allocated, rig.Xn.Entry(inode).State);
            Assert.False(rig.Disk.Writes(inode) > mark);
            // The stale block (0xDB bytes) is garbage to its owns(): mount reports it.
            Assert.False(rig.Report.IsConsistent);
        }

        [Fact]
        public void ReusingAFreedBlockEarlyWouldGiveItTwoOwners()
        {
            // Negative control for the reuse rule: a crash image where the old parent still names the
            // block while a new parent does too is what mount reports as BlockInUse.
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint a));
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 1, out uint b));
            Assert.Equal((Error)0, rig.AddData(a, 0, 1, out uint data));
            rig.Flush();
            Assert.Equal((Error)0, rig.RemoveData(a, 0, data));
            Assert.Equal(Error.FreePending, rig.Xn.Alloc(Rig.Owner, b, Rig.PointerOffset(0), Udfs.Word(data), data, 1, 0));
            BitConverter.GetBytes(data).CopyTo(rig.Disk.Raw(b), Rig.PointerOffset(0));
            rig.Disk.Crash(0);
            rig.Remount();
            Assert.Contains(rig.Report.Problems.ToArray(), p => p.Error == Error.BlockInUse && p.Block == data);
        }
    }
}
