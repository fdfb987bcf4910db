// XOK-LESSONS.md, "Disk: XN": each weakness of MIT's XN, and a test showing ExoSharp's does better.
// Each test's summary names XOK's weakness; its body shows the error code or the count ExoSharp gets.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class XokLessonsTests
    {
        /// <summary>XOK: checks "incredibly weak". Here every kind of pointer change is checked.</summary>
        [Fact]
        public void ChecksAreNotWeak()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 1, out uint data));
            uint free = rig.NextFree();
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(free)));
            Assert.Equal(Error.LostPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(0)));
            Assert.Equal(Error.BlockInUse, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(data)));
            // Swapping a pointer for another in one write is a forgery too (no move without alloc/free).
            Assert.Equal(Error.ForgedPointer, rig.Xn.WriteMetadata(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(free)));
        }

        /// <summary>XOK: the capability check was always true. Here only the root's owner may act.</summary>
        [Fact]
        public void OwnershipIsChecked()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            uint block = rig.NextFree();
            Assert.Equal(Error.NotOwner, rig.Xn.Alloc(Rig.Stranger, rig.Root, Rig.EntryOffset(1), Udfs.Word(block), block, 1, rig.InodeType));
            Assert.Equal(Error.NotOwner, rig.Xn.WriteMetadata(Rig.Stranger, inode, 4, Udfs.Word(1)));
            Assert.Equal(Error.NotOwner, rig.Xn.Free(Rig.Stranger, rig.Root, Rig.EntryOffset(0), Udfs.Word(0), inode, 1));
        }

        /// <summary>XOK: one UDF slot per pointer (an indirect block needed 1024). Here one program
        /// describes an indirect block of extents: 1024 blocks through four records.</summary>
        [Fact]
        public void OneUdfDescribesAWholeIndirectBlock()
        {
            var rig = new Rig(blocks: 1200, cache: 1100);
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.ExtentList(200), out uint list, out _));
            rig.Flush();
            uint indirect = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "big"u8, indirect, list, out _));
            uint start = indirect + 1;
            for (int i = 0; i < 4; i++)
            {
                uint first = start + (uint)(256 * i);
                Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, indirect, 8 * i, Udfs.Words(first, 256), first, 256, 0));
            }
            Assert.Equal(1024, rig.Xn.Entry(indirect).Children);
            rig.Flush();
            rig.Remount(1100);
            Assert.True(rig.Report.IsConsistent);
            Assert.Equal(1 + 1 + 1024, rig.Report.Reachable); // the file system's root, the indirect block, its data
        }

        /// <summary>XOK: a check's cost grew with the owned set. Here one alloc costs the same in a
        /// tree of 3 blocks as in one of 600.</summary>
        [Fact]
        public void CheckCostDependsOnTheChangeNotTheOwnedSet()
        {
            XnStatistics small = CostOfOneAlloc(2), large = CostOfOneAlloc(600);
            Assert.Equal(small.OwnsRuns, large.OwnsRuns);
            Assert.Equal(small.Records, large.Records);
            Assert.Equal(small.BlocksChecked, large.BlocksChecked);
            Assert.Equal(1, small.OwnsRuns);     // S0: the root's kept owns() from the alloc before (KeptOwnsTests)
        }

        private static XnStatistics CostOfOneAlloc(uint owned)
        {
            var rig = new Rig(blocks: 700, cache: 650);
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.ExtentList(8), out uint list, out _));
            rig.Flush();
            uint root = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.CreateRoot(Rig.Owner, "tree"u8, root, list, out _));
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, root, 0, Udfs.Words(root + 1, owned), root + 1, owned, 0));
            XnStatistics before = rig.Xn.Statistics;
            uint next = root + 1 + owned;
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, root, 8, Udfs.Words(next, 1), next, 1, 0));
            XnStatistics after = rig.Xn.Statistics;
            return new XnStatistics
            {
                OwnsRuns = after.OwnsRuns - before.OwnsRuns,
                Records = after.Records - before.Records,
                BlocksChecked = after.BlocksChecked - before.BlocksChecked,
            };
        }

        /// <summary>XOK: an out-of-bounds or over-budget UDF panicked the kernel. Here both are refused
        /// when the template is registered, and run-time loads past the block give 0.</summary>
        [Fact]
        public void BadUdfsAreErrorsNotPanics()
        {
            var rig = new Rig(fileSystem: false);
            var outOfBounds = new[] { Instruction.Statement(Udfs.LdCtxW, 5000), Instruction.Statement(Udfs.RetK, 0) };
            Assert.Equal(Error.ProgramRefused, rig.Xn.RegisterTemplate(outOfBounds, out _, out _));
            var tooLong = Enumerable.Repeat(Instruction.Statement(Udfs.EmitK, 0), 2000).Append(Instruction.Statement(Udfs.RetK, 0)).ToArray();
            Assert.Equal(Error.OverBudget, rig.Xn.RegisterTemplate(tooLong, out _, out _));
        }

        /// <summary>XOK: registry state lost at reboot (only in-core). Here templates are on disk and
        /// mount rebuilds the registry from the roots.</summary>
        [Fact]
        public void TheRegistrySurvivesAReboot()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            rig.Flush();
            rig.Remount();
            Assert.Equal(rig.Root, rig.Xn.Entry(inode).Parent);
            Assert.NotNull(rig.Xn.TemplateOf(rig.InodeType));
        }

        /// <summary>XOK: C-FFS fell back to xn_alloc_cheat and a trusted server. Here a file system
        /// with directories, files and data is built through the checked calls alone.</summary>
        [Fact]
        public void AFileSystemNeedsNoCheating()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateDirectory(rig.Root, 12, out uint dir));
            for (int f = 0; f < Udfs.DirectoryFiles; f++)
            {
                Assert.Equal((Error)0, rig.CreateFile(dir, f, out uint inode));
                for (int d = 0; d < 3; d++) Assert.Equal((Error)0, rig.AddData(inode, d, (uint)(f * 10 + d), out _));
                Assert.Equal((Error)0, rig.Xn.WriteMetadata(Rig.Owner, inode, 4, Udfs.Word(3 * 4096)));
            }
            rig.Flush();
            rig.Remount();
            Assert.True(rig.Report.IsConsistent);
            Assert.Equal(2 + Udfs.DirectoryFiles * 4, rig.Report.Reachable);
        }
    }
}
