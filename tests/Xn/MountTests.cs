// Mount: the registry and free map rebuilt from the roots by owns(); damaged disks reported
// problem by problem, never a crash.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class MountTests
    {
        [Fact]
        public void MountRebuildsTheRegistry()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateDirectory(rig.Root, 12, out uint dir));
            Assert.Equal((Error)0, rig.CreateFile(dir, 2, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 3, 9, out uint data));
            rig.Flush();
            int free = rig.Xn.CountFree();
            rig.Remount();
            Assert.True(rig.Report.IsConsistent);
            Assert.Equal(4, rig.Report.Reachable);
            Assert.Equal(free, rig.Xn.CountFree());
            Assert.Equal(inode, rig.Xn.Entry(data).Parent);
            Assert.Equal(dir, rig.Xn.Entry(inode).Parent);
            Assert.Equal(rig.InodeType, rig.Xn.Entry(inode).Type);
            Assert.Equal(Rig.Owner, rig.Xn.OwnerOf(data));
            Assert.True(rig.Xn.Entry(data).OnDisk);
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, data));
            rig.Disk.CompleteAll();
            Assert.Equal(9u, rig.ReadWord(data, 8));
        }

        [Fact]
        public void AnUnformattedDiskIsFatal()
        {
            var disk = new MemoryDisk(64);
            var xn = new XnVolume(disk, new InterpretingOwnsRunner(), 8, new HostPages());
            MountReport report = xn.Mount();
            Assert.Equal(Error.BadArgument, report.Fatal);
            Assert.False(xn.IsMounted);
            Assert.Equal(Error.BadArgument, xn.Fetch(1, 40));
        }

        [Fact]
        public void ASuperblockLargerThanTheDiskIsFatal()
        {
            var disk = new MemoryDisk(64);
            Assert.Equal((Error)0, XnVolume.Format(disk, 64, new HostPages()));
            BitConverter.GetBytes(1000u).CopyTo(disk.Raw(0), XnLayout.BlockCountOffset);
            Assert.Equal(Error.BadArgument, new XnVolume(disk, new InterpretingOwnsRunner(), 8, new HostPages()).Mount().Fatal);
            Assert.Equal(Error.BadLength, XnVolume.Format(disk, 10, new HostPages()));
        }

        [Fact]
        public void ABlockPointedToTwiceIsReported()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint a));
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 1, out uint b));
            Assert.Equal((Error)0, rig.AddData(a, 0, 1, out uint data));
            rig.Flush();
            BitConverter.GetBytes(data).CopyTo(rig.Disk.Raw(b), Rig.PointerOffset(0));
            rig.Remount();
            Assert.Contains(rig.Report.Problems.ToArray(), p => p.Error == Error.BlockInUse && p.Block == data);
            Assert.Equal(1, rig.Report.Problems.Count);
            // The second parent's stray pointer can be dropped; the owner's cannot.
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, a));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, b));
            rig.Disk.CompleteAll();
            Assert.Equal(Error.LostPointer, rig.Xn.WriteMetadata(Rig.Owner, a, Rig.PointerOffset(0), Udfs.Word(0)));
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, b, Rig.PointerOffset(0), Udfs.Word(0)));
            rig.Flush();
            rig.Remount();
            Assert.True(rig.Report.IsConsistent);
        }

        [Fact]
        public void AnOutOfRangePointerIsReported()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            rig.Flush();
            BitConverter.GetBytes(100000u).CopyTo(rig.Disk.Raw(inode), Rig.PointerOffset(0));
            rig.Remount();
            Assert.Contains(rig.Report.Problems.ToArray(), p => p.Error == Error.NoSuchBlock && p.Block == inode);
            // The damaged inode itself stays reachable; owns() fails over it, so changes are refused.
            Assert.Equal(Error.NotInCore, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(1)));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, inode));
            rig.Disk.CompleteAll();
            // Only a write that leaves exactly the registered children repairs it.
            Assert.Equal(Error.NoSuchBlock, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(1)));
            uint free = rig.NextFree();
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(free)));
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(0)));
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(1)));
            rig.Flush();
            rig.Remount();
            Assert.True(rig.Report.IsConsistent);
        }

        [Fact]
        public void ARepairMustKeepTheChildrenMountGaveTheBlock()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            rig.Flush();
            BitConverter.GetBytes(100000u).CopyTo(rig.Disk.Raw(inode), Rig.PointerOffset(1));
            rig.Remount();
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, inode));
            rig.Disk.CompleteAll();
            Assert.Equal(inode, rig.Xn.Entry(data).Parent);
            Assert.Equal(Error.LostPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Words(0, 0)));
            Assert.Equal(data, rig.ReadWord(inode, Rig.PointerOffset(0)));
            Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(0)));
        }

        [Fact]
        public void ABadCatalogueEntryIsReported()
        {
            var rig = new Rig();
            rig.Flush();
            byte[] catalogue = rig.Disk.Raw(XnLayout.CatalogueBlock);
            int at = 5 * XnLayout.RootEntrySize;
            BitConverter.GetBytes(9999u).CopyTo(catalogue, at + XnLayout.RootBlockOffset);
            BitConverter.GetBytes(1UL).CopyTo(catalogue, at + XnLayout.RootOwnerOffset);     // a non-zero owner: in use
            at = 6 * XnLayout.RootEntrySize;
            BitConverter.GetBytes(rig.Root).CopyTo(catalogue, at + XnLayout.RootBlockOffset);
            BitConverter.GetBytes(1UL).CopyTo(catalogue, at + XnLayout.RootOwnerOffset);     // a non-zero owner: in use
            at = 7 * XnLayout.RootEntrySize;
            BitConverter.GetBytes(rig.Root + 50).CopyTo(catalogue, at + XnLayout.RootBlockOffset);
            BitConverter.GetBytes(14u).CopyTo(catalogue, at + XnLayout.RootTypeOffset);
            BitConverter.GetBytes(1UL).CopyTo(catalogue, at + XnLayout.RootOwnerOffset);     // a non-zero owner: in use
            rig.Remount();
            Error[] errors = rig.Report.Problems.ToArray().Select(p => p.Error).ToArray();
            Assert.Equal(new[] { Error.NoSuchBlock, Error.BlockInUse, Error.NoSuchType }, errors);
            Assert.Equal(1, rig.Report.Roots);
        }

        [Fact]
        public void MountTwiceIsRefused()
        {
            var rig = new Rig();
            Assert.Equal(Error.BadArgument, rig.Xn.Mount().Fatal);
        }

        [Fact]
        public void RandomGarbageInMetadataNeverCrashesMount()
        {
            var random = new Random(3);
            for (int round = 0; round < 30; round++)
            {
                var rig = new Rig();
                Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
                Assert.Equal((Error)0, rig.CreateDirectory(rig.Root, 13, out uint dir));
                rig.Flush();
                foreach (uint block in new[] { rig.Root, inode, dir })
                    for (int i = 0; i < 8; i++)
                        BitConverter.GetBytes((uint)random.Next(0, 300)).CopyTo(rig.Disk.Raw(block), 4 * random.Next(0, 140));
                rig.Remount();
                Assert.Equal((Error)0, rig.Report.Fatal);
                int allocated = 0;
                for (uint b = XnLayout.FirstAllocatable; b < rig.Xn.BlockCount; b++)
                    if (rig.Xn.Entry(b).State == BlockState.Allocated) allocated++;
                Assert.Equal(rig.Report.Reachable, allocated);
            }
        }
    }
}
