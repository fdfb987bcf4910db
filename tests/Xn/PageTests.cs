// Block contents live in pages: a cached block's page is page-aligned and named by its frame (what
// the kernel maps read-only into the owner), reads land in that page, writes leave from a staging
// page (a snapshot), a reused page never shows the block it held before, and a page source that
// runs dry makes mount fail instead of an operation halfway through.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public unsafe class PageTests
    {
        private static byte[] PageBytes(byte* page) => new ReadOnlySpan<byte>(page, XnLayout.BlockSize).ToArray();

        [Fact]
        public void ACachedBlockIsAPageNamedByItsFrame()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 0xABCD, out uint data));
            Assert.True(rig.Xn.CachedPage(data, out byte* page, out ulong frame));
            Assert.Equal(0ul, (ulong)page % XnLayout.BlockSize);
            Assert.Equal((ulong)page / XnLayout.BlockSize, frame);
            Assert.True(rig.Xn.IsReadable(data));
            var bytes = new byte[XnLayout.BlockSize];
            Assert.Equal((Error)0, rig.Xn.Read(Rig.Owner, data, 0, bytes));
            Assert.Equal(bytes, PageBytes(page));
            Assert.Equal(0xABCDu, *(uint*)(page + 8));
            Assert.True(rig.Xn.CachedPage(inode, out byte* other, out ulong otherFrame));
            Assert.NotEqual((ulong)page, (ulong)other);
            Assert.NotEqual(frame, otherFrame);
            Assert.False(rig.Xn.CachedPage(rig.NextFree(), out byte* none, out _));
            Assert.True(none == null);
            Assert.False(rig.Xn.CachedPage(100000, out _, out _));
        }

        [Fact]
        public void AFetchReadsStraightIntoTheCachePage()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 77, out uint data));
            rig.Flush();
            rig.Remount();
            Assert.False(rig.Xn.CachedPage(data, out _, out _));
            Assert.Equal((Error)0, rig.Xn.Fetch(Rig.Owner, data));
            Assert.True(rig.Xn.CachedPage(data, out byte* page, out ulong frame));
            Assert.False(rig.Xn.IsReadable(data));
            Assert.Equal(1, rig.Disk.Pending);
            DiskRequest read = rig.Disk.PendingAt(0);
            Assert.False(read.IsWrite);
            Assert.True(read.Buffer == page);
            Assert.Equal(frame, read.Frame);
            rig.Disk.CompleteAll();
            Assert.True(rig.Xn.IsReadable(data));
            Assert.Equal(rig.Disk.Raw(data), PageBytes(page));
        }

        [Fact]
        public void AWriteLeavesFromAStagingPageHoldingTheSnapshot()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 5, out uint data));
            rig.Flush();
            Assert.Equal((Error)0, rig.Xn.WriteData(Rig.Owner, data, 100, new byte[] { 1, 2, 3 }));
            Assert.Equal((Error)0, rig.Xn.StartWrite(data));
            DiskRequest write = rig.Disk.PendingAt(0);
            Assert.True(write.IsWrite);
            Assert.True(rig.Xn.CachedPage(data, out byte* page, out _));
            Assert.True(write.Buffer != page);
            Assert.Equal(0ul, (ulong)write.Buffer % XnLayout.BlockSize);
            byte[] snapshot = PageBytes(page);
            Assert.Equal(snapshot, PageBytes(write.Buffer));
            Assert.Equal((Error)0, rig.Xn.WriteData(Rig.Owner, data, 100, new byte[] { 9 }));
            Assert.Equal(snapshot, PageBytes(write.Buffer));
            rig.Disk.CompleteAll();
            Assert.Equal(snapshot, rig.Disk.Raw(data));
        }

        [Fact]
        public void AReusedPageShowsNothingOfItsPreviousBlock()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out uint inode));
            Assert.Equal((Error)0, rig.AddData(inode, 0, 0, out uint data));
            byte[] secret = Enumerable.Repeat((byte)0xEE, XnLayout.BlockSize).ToArray();
            Assert.Equal((Error)0, rig.Xn.WriteData(Rig.Owner, data, 0, secret));
            rig.Flush();
            Assert.True(rig.Xn.CachedPage(data, out byte* page, out _));
            Assert.Equal((Error)0, rig.Xn.Evict(data));
            Assert.False(rig.Xn.CachedPage(data, out _, out _));
            uint next = rig.NextFree();
            Assert.Equal((Error)0, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(1), Udfs.Word(next), next, 1, 0));
            Assert.True(rig.Xn.CachedPage(next, out byte* reused, out _));
            Assert.True(reused == page);
            Assert.Equal(new byte[XnLayout.BlockSize], PageBytes(reused));
        }

        [Fact]
        public void AVolumeTakesAllItsPagesUpFront()
        {
            var pages = new HostPages();
            var disk = new MemoryDisk(64);
            Assert.Equal((Error)0, XnVolume.Format(disk, 64, pages));
            Assert.Equal(1, pages.Taken);
            var xn = new XnVolume(disk, new InterpretingOwnsRunner(), 8, pages);
            Assert.Equal(1 + XnVolume.PagesNeeded(8), pages.Taken);
            Assert.Equal(8 + XnVolume.ReservedSlots, xn.CacheSlots);
            disk.Sink = xn;
            Assert.True(xn.Mount().IsConsistent);
            Assert.Equal(1 + XnVolume.PagesNeeded(8), pages.Taken);
        }

        [Fact]
        public void APageSourceThatRunsDryFailsMountNotAnOperation()
        {
            var disk = new MemoryDisk(64);
            Assert.Equal(Error.NoMemory, XnVolume.Format(disk, 64, new HostPages { Limit = 0 }));
            Assert.Equal((Error)0, XnVolume.Format(disk, 64, new HostPages()));
            foreach (int limit in new[] { 0, 1, XnVolume.QueueDepth, XnVolume.PagesNeeded(8) - 1 })
            {
                var xn = new XnVolume(disk, new InterpretingOwnsRunner(), 8, new HostPages { Limit = limit });
                disk.Sink = xn;
                Assert.Equal(Error.NoMemory, xn.Mount().Fatal);
                Assert.False(xn.IsMounted);
            }
            var enough = new XnVolume(disk, new InterpretingOwnsRunner(), 8, new HostPages { Limit = XnVolume.PagesNeeded(8) });
            disk.Sink = enough;
            Assert.True(enough.Mount().IsConsistent);
        }
    }
}
