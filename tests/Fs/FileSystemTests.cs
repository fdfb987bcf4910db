// C-FFS's layout and calls, each checked again after a remount from the disk alone: directories
// and their chains, embedded and external inodes, extents, holes and 4 GiB files, symbolic links,
// attributes, renames, ENOSPC, explicit grouping, the templates' budget and the errno table.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.Xn;
using Xunit;

namespace ExoSharp.Tests.Fs
{
    public unsafe class FileSystemTests
    {
        private static long E(Errno e) => -(long)e;

        [Fact]
        public void TemplatesFitXnsBudgetAndNameNothingInAnEmptyBlock()
        {
            var rig = new FsRig();
            Assert.Equal(413, CffsTemplates.Directory(1, 3, 2, 1).Length);
            Assert.Equal(1005, CffsTemplates.ExtentList(2).Length);
            Assert.True(CffsTemplates.ExtentList(2).Length <= XnLayout.MaxTemplateInstructions);
            Assert.Equal(1u, rig.Fs.DirectoryType);
            Assert.Equal(2u, rig.Fs.ExtentType);
            Assert.Equal(3u, rig.Fs.InodeTableType);
            for (uint t = 1; t <= 3; t++) Assert.True(rig.Image.Xn.IsTemplateDurable(t));
        }

        [Fact]
        public void ErrnoValuesAreLinuxs()
        {
            Assert.Equal(2, (int)Errno.ENOENT);
            Assert.Equal(17, (int)Errno.EEXIST);
            Assert.Equal(20, (int)Errno.ENOTDIR);
            Assert.Equal(21, (int)Errno.EISDIR);
            Assert.Equal(28, (int)Errno.ENOSPC);
            Assert.Equal(39, (int)Errno.ENOTEMPTY);
            Assert.Equal(40, (int)Errno.ELOOP);
            Assert.Equal(-(long)Errno.EACCES, XnErrors.ToErrno((long)Error.NotOwner));
        }

        [Fact]
        public void DotAndDotDotAreNeverMadeAsNames()
        {
            var rig = new FsRig();
            Assert.Equal(0, rig.Fs.Mkdir("/a", 0x1ED));
            rig.Make("/a/f", FsRig.Pattern(10, 3));
            Assert.Equal(E(Errno.EEXIST), rig.Fs.Mkdir("/a/..", 0x1ED));
            Assert.Equal(E(Errno.EEXIST), rig.Fs.Mkdir("/a/.", 0x1ED));
            Assert.Equal(E(Errno.EEXIST), rig.Fs.Create("/a/..", 0x1A4, 0, 0, out _));
            Assert.Equal(E(Errno.EEXIST), rig.Fs.Symlink("/a/f", "/a/.."));
            Assert.Equal(E(Errno.EEXIST), rig.Fs.Link("/a/f", "/a/."));
            Assert.Equal(E(Errno.EBUSY), rig.Fs.Rename("/a/f", "/a/.."));
            Assert.Equal(E(Errno.EBUSY), rig.Fs.Rename("/a/..", "/a/g"));
            Assert.Equal(new[] { "f" }, rig.Names("/a"));
            Assert.Equal(new[] { "a" }, rig.Names("/"));
        }

        [Fact]
        public void NestedDirectoriesAndFilesSurviveARemount()
        {
            var rig = new FsRig();
            Assert.Equal(0, rig.Fs.Mkdir("/a", 0x1ED));
            Assert.Equal(0, rig.Fs.Mkdir("/a/b", 0x1C0));
            Assert.Equal(0, rig.Fs.Mkdir("/a/b/c", 0x1ED));
            byte[] text = "hello, c-ffs\n"u8.ToArray();
            rig.Make("/a/b/c/hello.txt", text);
            rig.Make("/a/top", FsRig.Pattern(10000, 1));
            Assert.Equal(E(Errno.EEXIST), rig.Fs.Mkdir("/a/b", 0x1ED));
            Assert.Equal(E(Errno.ENOENT), rig.Fs.Mkdir("/x/y", 0x1ED));
            Assert.Equal(E(Errno.ENOTDIR), rig.Fs.Mkdir("/a/top/z", 0x1ED));
            rig.RemountAndCheck();
            Assert.Equal(text, rig.ReadAll("/a/b/c/hello.txt"));
            Assert.Equal(text, rig.ReadAll("/a/./b/../b/c//hello.txt"));
            Assert.Equal(FsRig.Pattern(10000, 1), rig.ReadAll("/a/top"));
            Assert.Equal(new[] { "b", "top" }, rig.Names("/a"));
            Assert.Equal(0, rig.Fs.Stat("/a/b", true, out FileStat st));
            Assert.Equal(CffsLayout.Directory | 0x1C0, st.Mode);
            Assert.Equal(0, rig.Fs.Stat("/a/b/..", true, out FileStat up));
            Assert.Equal(0, rig.Fs.Stat("/a", true, out FileStat a));
            Assert.Equal(a.Ino, up.Ino);
        }

        [Fact]
        public void InodesAreEmbeddedInTheirEntriesAndHoldEveryAttribute()
        {
            var rig = new FsRig();
            rig.Image.Port.Clock = 1234567890;
            Assert.Equal(0, rig.Fs.Create("/f", 0x1B4, 1000, 100, out Node node));
            Assert.Equal(0, rig.Fs.Stat(node, out FileStat st));
            Assert.Equal(CffsLayout.Ino(rig.Fs.RootBlock, 1), st.Ino);      // the root's first slot: the entry is the inode
            Assert.Equal(CffsLayout.Regular | 0x1B4, st.Mode);
            Assert.Equal(1000u, st.Uid);
            Assert.Equal(100u, st.Gid);
            Assert.Equal(1u, st.Nlink);
            Assert.Equal(1234567890ul, st.Ctime);
            Assert.Equal(0, rig.Fs.SetTimes(node, 11, 22));
            Assert.Equal(0, rig.Fs.Chmod(node, 0x180));
            Assert.Equal(0, rig.Fs.Chown(node, 5, 6));
            rig.RemountAndCheck();
            Assert.Equal(0, rig.Fs.Stat("/f", true, out st));
            Assert.Equal((11ul, 22ul), (st.Atime, st.Mtime));
            Assert.Equal((CffsLayout.Regular | 0x180, 5u, 6u), (st.Mode, st.Uid, st.Gid));
        }

        [Fact]
        public void ADirectoryGrowsAChainOfBlocksAndShrinksBack()
        {
            var rig = new FsRig();
            Assert.Equal(0, rig.Fs.Mkdir("/d", 0x1ED));
            int free = rig.Image.Xn.CountFree();
            for (int i = 0; i < 100; i++) rig.Make($"/d/file{i:D3}", FsRig.Pattern(i * 7, i));
            rig.RemountAndCheck();
            Assert.Equal(100, rig.Names("/d").Count);
            for (int i = 0; i < 100; i += 9) Assert.Equal(FsRig.Pattern(i * 7, i), rig.ReadAll($"/d/file{i:D3}"));
            Assert.Equal(E(Errno.ENOTEMPTY), rig.Fs.Rmdir("/d"));
            for (int i = 0; i < 100; i++) Assert.Equal(0, rig.Fs.Unlink($"/d/file{i:D3}"));
            Assert.Equal(0, rig.Fs.Rmdir("/d"));
            rig.RemountAndCheck();
            Assert.Empty(rig.Names("/"));
            Assert.Equal(free + 1, rig.Image.Xn.CountFree());       // every block back, /d's first too
        }

        [Fact]
        public void ExplicitGroupingPutsADirectorysSmallFilesInTheBlocksAfterIt()
        {
            var rig = new FsRig();
            Assert.Equal(0, rig.Fs.Mkdir("/g", 0x1ED));
            var blocks = new List<uint>();
            for (int i = 0; i < 12; i++)
            {
                Node n = rig.Make($"/g/{i}", FsRig.Pattern(1000, i));
                blocks.Add(rig.Fs.PhysicalBlock(n, 0));
            }
            blocks.Sort();
            Assert.Equal(11u, blocks[^1] - blocks[0]);                 // one run of 12 adjacent blocks
            Assert.Equal(0, rig.Fs.Stat("/g/0", true, out FileStat st));
            Assert.InRange(blocks[0] - (uint)(st.Ino / CffsLayout.Slots), 1u, 2u);   // right after the directory's block
        }

        [Fact]
        public void FourGiBSparseFileReadsZerosInItsHolesAndKeepsTwoBlocks()
        {
            var rig = new FsRig(2048);
            Node n = rig.Make("/sparse");
            byte[] head = FsRig.Pattern(100, 5), tail = FsRig.Pattern(4096, 6);
            ulong end = 4UL << 30;
            Assert.Equal(100, rig.Write(n, 0, head));
            Assert.Equal(4096, rig.Write(n, end - 4096, tail));
            rig.RemountAndCheck();
            n = rig.Find("/sparse");
            Assert.Equal(0, rig.Fs.Stat(n, out FileStat st));
            Assert.Equal(end, st.Size);
            Assert.Equal(2ul, st.Blocks);
            Assert.Equal(head, rig.Read(n, 0, 100));
            Assert.Equal(tail, rig.Read(n, end - 4096, 4096));
            Assert.All(rig.Read(n, 1UL << 31, 65536), b => Assert.Equal(0, b));
            Assert.All(rig.Read(n, 100, 3996), b => Assert.Equal(0, b));
            Assert.Equal(E(Errno.EFBIG), rig.Write(n, CffsLayout.MaxFileSize, head));
            Assert.Equal(0, rig.Fs.Truncate(n, 50));
            Assert.Equal(head.AsSpan(0, 50).ToArray(), rig.ReadAll("/sparse"));
            Assert.Equal(0, rig.Fs.Truncate(n, 200));
            Assert.Equal(head.AsSpan(0, 50).ToArray().Concat(new byte[150]).ToArray(), rig.ReadAll("/sparse"));
            rig.RemountAndCheck();
        }

        [Fact]
        public void AFileOfManyExtentsChainsExtentBlocks()
        {
            var rig = new FsRig(8192);
            Node n = rig.Make("/frag");
            // every other block: no extent can grow into the next, so each block is its own extent
            for (int i = 0; i < 600; i++) Assert.Equal(10, rig.Write(n, (ulong)i * 8192, FsRig.Pattern(10, i)));
            rig.RemountAndCheck();
            n = rig.Find("/frag");
            for (int i = 0; i < 600; i += 37) Assert.Equal(FsRig.Pattern(10, i), rig.Read(n, (ulong)i * 8192, 10));
            Assert.Equal(0, rig.Fs.Stat(n, out FileStat st));
            Assert.Equal(600ul, st.Blocks);
            int free = rig.Image.Xn.CountFree();
            Assert.Equal(0, rig.Fs.Unlink("/frag"));
            rig.RemountAndCheck();
            Assert.True(rig.Image.Xn.CountFree() >= free + 600 + 3);   // data and three extent blocks
        }

        [Fact]
        public void HardLinksShareAnExternalInode()
        {
            var rig = new FsRig();
            Assert.Equal(0, rig.Fs.Mkdir("/x", 0x1ED));
            Node n = rig.Make("/x/orig", FsRig.Pattern(9000, 3));
            Assert.Equal(0, rig.Fs.Link("/x/orig", "/other"));
            Assert.Equal(0, rig.Fs.Link("/other", "/x/third"));
            Assert.Equal(E(Errno.EPERM), rig.Fs.Link("/x", "/xx"));
            rig.RemountAndCheck();
            Assert.Equal(0, rig.Fs.Stat("/x/orig", true, out FileStat a));
            Assert.Equal(0, rig.Fs.Stat("/other", true, out FileStat b));
            Assert.Equal(a.Ino, b.Ino);
            Assert.Equal(3u, a.Nlink);
            Assert.Equal(FsRig.Pattern(9000, 3), rig.ReadAll("/other"));
            Assert.Equal(3, rig.Write(rig.Find("/x/third"), 0, new byte[] { 1, 2, 3 }));
            Assert.Equal(new byte[] { 1, 2, 3 }, rig.ReadAll("/x/orig").AsSpan(0, 3).ToArray());
            Assert.Equal(0, rig.Fs.Unlink("/x/orig"));
            Assert.Equal(0, rig.Fs.Unlink("/x/third"));
            rig.RemountAndCheck();
            Assert.Equal(0, rig.Fs.Stat("/other", true, out b));
            Assert.Equal(1u, b.Nlink);
            Assert.Equal(9000ul, b.Size);
            Assert.Equal(0, rig.Fs.Unlink("/other"));
            rig.RemountAndCheck();
        }

        [Fact]
        public void SymbolicLinksResolveAndLoopsEndInEloop()
        {
            var rig = new FsRig();
            Assert.Equal(0, rig.Fs.Mkdir("/d", 0x1ED));
            rig.Make("/d/target", "data"u8.ToArray());
            Assert.Equal(0, rig.Fs.Symlink("target", "/d/rel"));
            Assert.Equal(0, rig.Fs.Symlink("/d", "/abs"));
            Assert.Equal(0, rig.Fs.Symlink("/loop2", "/loop1"));
            Assert.Equal(0, rig.Fs.Symlink("/loop1", "/loop2"));
            rig.RemountAndCheck();
            Assert.Equal("data"u8.ToArray(), rig.ReadAll("/d/rel"));
            Assert.Equal("data"u8.ToArray(), rig.ReadAll("/abs/rel"));
            Assert.Equal("data"u8.ToArray(), rig.ReadAll("/abs/target"));
            Assert.Equal(0, rig.Fs.Stat("/abs", false, out FileStat l));
            Assert.Equal(CffsLayout.Symlink, l.Mode & CffsLayout.TypeMask);
            byte* buffer = stackalloc byte[64];
            Assert.Equal(6, rig.Fs.ReadLink("/d/rel", buffer, 64));
            Assert.Equal(E(Errno.ELOOP), rig.Fs.Lookup("/loop1", true, out _));
            Assert.Equal(E(Errno.EINVAL), rig.Fs.ReadLink("/d/target", buffer, 64));
        }

        [Fact]
        public void RenamesWithinAndAcrossDirectories()
        {
            var rig = new FsRig();
            Assert.Equal(0, rig.Fs.Mkdir("/a", 0x1ED));
            Assert.Equal(0, rig.Fs.Mkdir("/b", 0x1ED));
            rig.Make("/a/one", FsRig.Pattern(5000, 1));
            rig.Make("/a/two", FsRig.Pattern(300, 2));
            Assert.Equal(0, rig.Fs.Rename("/a/one", "/a/uno"));
            Assert.Equal(0, rig.Fs.Rename("/a/two", "/a/uno"));                 // replaces
            Assert.Equal(0, rig.Fs.Rename("/a/uno", "/b/moved"));
            Assert.Equal(E(Errno.ENOENT), rig.Fs.Rename("/a/none", "/b/x"));
            Assert.Equal(E(Errno.EINVAL), rig.Fs.Rename("/a", "/a/inside"));
            rig.RemountAndCheck();
            Assert.Empty(rig.Names("/a"));
            Assert.Equal(FsRig.Pattern(300, 2), rig.ReadAll("/b/moved"));
            Assert.Equal(0, rig.Fs.Rename("/a", "/c"));
            Assert.Equal(new[] { "b", "c" }, rig.Names("/"));
            rig.RemountAndCheck();
            Assert.Equal(0, rig.Fs.Mkdir("/c/sub", 0x1ED));
            rig.Make("/c/sub/deep", FsRig.Pattern(7000, 7));
            Assert.Equal(0, rig.Fs.Rename("/c/sub", "/b/moved-dir"));        // a directory to another parent: one XN move
            Assert.Equal(FsRig.Pattern(7000, 7), rig.ReadAll("/b/moved-dir/deep"));
            Assert.Equal(0, rig.Fs.Stat("/b/moved-dir/..", true, out FileStat up));
            Assert.Equal(0, rig.Fs.Stat("/b", true, out FileStat b));
            Assert.Equal(b.Ino, up.Ino);
            rig.RemountAndCheck();
            Assert.Equal(new[] { "moved", "moved-dir" }, rig.Names("/b"));
            Assert.Empty(rig.Names("/c"));
        }

        [Fact]
        public void AFullDiskAnswersEnospcAndCorruptsNothing()
        {
            var rig = new FsRig(1024);
            rig.Make("/keep", FsRig.Pattern(20000, 9));
            Node n = rig.Make("/fill");
            long total = 0, r;
            byte[] chunk = FsRig.Pattern(65536, 4);
            while ((r = rig.Write(n, (ulong)total, chunk)) > 0) total += r;
            Assert.Equal(E(Errno.ENOSPC), r);
            Assert.True(total > 3_000_000, $"{total} bytes before the disk filled");
            Assert.True(rig.Fs.Mkdir("/more", 0x1ED) is 0 or -(long)Errno.ENOSPC);
            rig.RemountAndCheck();
            Assert.Equal(FsRig.Pattern(20000, 9), rig.ReadAll("/keep"));
            Assert.Equal(0, rig.Fs.Stat("/fill", true, out FileStat st));
            Assert.Equal((ulong)total, st.Size);
            Assert.Equal(chunk.AsSpan(0, 1000).ToArray(), rig.Read(rig.Find("/fill"), 65536, 1000));
            Assert.Equal(0, rig.Fs.Unlink("/fill"));
            rig.RemountAndCheck();
            rig.Make("/again", FsRig.Pattern(100000, 8));
            rig.RemountAndCheck();
        }

        [Fact]
        public void BadPathsGetErrnosAndChangeNothing()
        {
            var rig = new FsRig();
            rig.Make("/f", new byte[] { 1 });
            Assert.Equal(E(Errno.ENOENT), rig.Fs.Lookup("", true, out _));
            Assert.Equal(E(Errno.ENAMETOOLONG), rig.Fs.Create("/" + new string('n', 200), 0x1A4, 0, 0, out _));
            Assert.Equal(E(Errno.EEXIST), rig.Fs.Create("/f", 0x1A4, 0, 0, out _));
            Assert.Equal(E(Errno.EISDIR), rig.Fs.Unlink("/"));
            Assert.Equal(E(Errno.ENOTDIR), rig.Fs.Rmdir("/f"));
            Assert.Equal(E(Errno.EISDIR), rig.Fs.Truncate(rig.Fs.Root, 0));
            Assert.Equal(E(Errno.ENOENT), rig.Fs.Unlink("/nothing"));
            rig.RemountAndCheck();
            Assert.Equal(new[] { "f" }, rig.Names("/"));
        }

        [Fact]
        public void TwoRootsOnOneDiskKeepTheirFilesApart()
        {
            var rig = new FsRig();
            rig.Make("/mine", FsRig.Pattern(5000, 1));
            var other = new ExoSharp.Tools.FsImage.HostXnPort(rig.Image.Xn, rig.Image.Disk, 0x1234);
            FileSystem theirs = FileSystem.Open(other, "theirs", 0x1234, true, out long error);
            Assert.Equal(0, error);
            Assert.Null(FileSystem.Open(other, ExoSharp.Tools.FsImage.Image.RootName, 0x1234, false, out error));
            Assert.Equal(E(Errno.EACCES), error);
            Node n = rig.Find("/mine");
            byte* buffer = stackalloc byte[16];
            uint data = rig.Fs.PhysicalBlock(n, 0);
            Assert.Equal((long)Error.NotOwner, other.Read(data, 0, buffer, 16));
            Assert.Equal((long)Error.NotOwner, other.Write(data, 0, buffer, 16));
            Assert.Equal((long)Error.NotOwner, other.Write(rig.Fs.RootBlock, 0, buffer, 16));
            Assert.True(theirs.ReadAt(n, 0, buffer, 16) < 0);
            rig.RemountAndCheck();
        }
    }
}
