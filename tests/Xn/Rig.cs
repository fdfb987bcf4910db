// A test rig: an in-memory disk formatted for XN, a mounted volume, and a tiny file system built
// only through XN's checked operations (no cheating path, unlike C-FFS's xn_alloc_cheat): a root
// directory, inodes with 12 direct data pointers, subdirectories. Flush drives writeback the way
// the kernel's disk interrupt would. Every volume it mounts takes its pages from the rig's HostPages.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public sealed class Rig
    {
        public const ulong Owner = 7;
        public const ulong Stranger = 9;
        public MemoryDisk Disk;
        /// <summary>The pages of every volume this rig mounts (they live as long as the rig).</summary>
        public HostPages Pages = new();
        public XnVolume Xn;
        public MountReport Report;
        public uint InodeType, DirectoryType;
        public uint Root;
        private uint _cursor = XnLayout.FirstAllocatable;

        public Rig(uint blocks = 256, int cache = 192, bool fileSystem = true)
        {
            Disk = new MemoryDisk(blocks);
            Assert.Equal((Error)0, XnVolume.Format(Disk, blocks, Pages));
            Remount(cache);
            Assert.True(Report.IsConsistent);
            if (!fileSystem) return;
            Assert.Equal((Error)0, Xn.RegisterTemplate(Udfs.Inode(), out InodeType, out _));
            Assert.Equal((Error)0, Xn.RegisterTemplate(Udfs.Directory(1, 2), out DirectoryType, out _));
            Assert.Equal(1u, InodeType);
            Assert.Equal(2u, DirectoryType);
            Flush();
            Root = NextFree();
            Assert.Equal((Error)0, Xn.CreateRoot(Owner, "root"u8, Root, DirectoryType, out _));
        }

        public XnVolume Remount(int cache = 192)
        {
            Xn = new XnVolume(Disk, new InterpretingOwnsRunner(), cache, Pages);
            Disk.Sink = Xn;
            Report = Xn.Mount();
            _cursor = XnLayout.FirstAllocatable;
            return Xn;
        }

        /// <summary>Writes everything writable until nothing is dirty or in flight.</summary>
        public void Flush()
        {
            var ready = new uint[256];
            for (int round = 0; round < 100; round++)
            {
                int n = Xn.Writeback(ready);
                for (int i = 0; i < n; i++)
                {
                    Error error = Xn.StartWrite(ready[i]);
                    if (error == Error.TableFull) break; // the queue: complete some first
                    Assert.Equal((Error)0, error);
                }
                if (n == 0 && Disk.Pending == 0) return;
                Disk.CompleteAll();
            }
            Assert.Fail("writeback does not converge");
        }

        /// <summary>A free block (round robin), or NoBlock.</summary>
        public uint NextFree()
        {
            uint count = Xn.BlockCount;
            for (uint i = 0; i < count; i++)
            {
                uint b = _cursor++;
                if (_cursor >= count) _cursor = XnLayout.FirstAllocatable;
                if (b >= XnLayout.FirstAllocatable && Xn.IsFree(b)) return b;
            }
            return XnVolume.NoBlock;
        }

        /// <summary>The registry agrees with owns() over every allocated metadata block in core:
        /// each named block is allocated with that parent and type, and Children and Taint count
        /// exactly the named blocks and those not yet on disk.</summary>
        public void AssertRegistryConsistent()
        {
            var runner = new InterpretingOwnsRunner();
            var records = new ExoSharp.Executive.Engines.EmitRecord[XnLayout.MaxRecords];
            var bytes = new byte[XnLayout.BlockSize];
            var children = new Dictionary<uint, int>();
            var taint = new Dictionary<uint, int>();
            for (uint b = XnLayout.FirstAllocatable; b < Xn.BlockCount; b++)
            {
                BlockEntry entry = Xn.Entry(b);
                if (entry.State != BlockState.Allocated || entry.Parent == XnLayout.CatalogueBlock) continue;
                children[entry.Parent] = children.GetValueOrDefault(entry.Parent) + 1;
                if (!entry.OnDisk) taint[entry.Parent] = taint.GetValueOrDefault(entry.Parent) + 1;
            }
            for (uint b = XnLayout.FirstAllocatable; b < Xn.BlockCount; b++)
            {
                BlockEntry entry = Xn.Entry(b);
                if (entry.State != BlockState.Allocated) continue;
                Assert.Equal(children.GetValueOrDefault(b), entry.Children);
                Assert.Equal(taint.GetValueOrDefault(b) + Xn.MoveHolds(b), entry.Taint);
                if (entry.Type == 0 || entry.Slot < 0) continue;
                Assert.Equal((Error)0, Xn.Read(Xn.OwnerOf(b), b, 0, bytes));
                int n = runner.Run(Xn.TemplateOf(entry.Type).Program, bytes, records);
                long named = 0;
                for (int i = 0; i < n; i++)
                    for (uint c = records[i].A; c < records[i].A + records[i].X; c++)
                    {
                        BlockEntry child = Xn.Entry(c);
                        Assert.Equal(BlockState.Allocated, child.State);
                        Assert.Equal(b, child.Parent);
                        Assert.Equal(records[i].K, child.Type);
                        named++;
                    }
                Assert.Equal(entry.Children, named);
            }
        }

        public static int EntryOffset(int slot) => slot * Udfs.EntrySize;
        public static int PointerOffset(int index) => Udfs.InodePointerOffset + 4 * index;

        /// <summary>A new inode in directory slot 0-11.</summary>
        public Error CreateFile(uint directory, int slot, out uint inode)
        {
            inode = NextFree();
            if (inode == XnVolume.NoBlock) return Error.NoMemory;
            return Xn.Alloc(Owner, directory, EntryOffset(slot), Udfs.Word(inode), inode, 1, InodeType);
        }

        /// <summary>A new directory in slot 12-15.</summary>
        public Error CreateDirectory(uint directory, int slot, out uint child)
        {
            child = NextFree();
            if (child == XnVolume.NoBlock) return Error.NoMemory;
            return Xn.Alloc(Owner, directory, EntryOffset(slot), Udfs.Word(child), child, 1, DirectoryType);
        }

        /// <summary>A new data block at pointer `index` of the inode, stamped with (inode, index, value).</summary>
        public Error AddData(uint inode, int index, uint value, out uint data)
        {
            data = NextFree();
            if (data == XnVolume.NoBlock) return Error.NoMemory;
            Error error = Xn.Alloc(Owner, inode, PointerOffset(index), Udfs.Word(data), data, 1, 0);
            if (error != 0) return error;
            return Xn.WriteData(Owner, data, 0, Udfs.Words(inode, (uint)index, value));
        }

        public Error RemoveData(uint inode, int index, uint data) =>
            Xn.Free(Owner, inode, PointerOffset(index), Udfs.Word(0), data, 1);

        public Error RemoveEntry(uint directory, int slot, uint child) =>
            Xn.Free(Owner, directory, EntryOffset(slot), Udfs.Word(0), child, 1);

        public uint ReadWord(uint block, int offset)
        {
            var bytes = new byte[4];
            Assert.Equal((Error)0, Xn.Read(Owner, block, offset, bytes));
            return BitConverter.ToUInt32(bytes);
        }
    }
}
