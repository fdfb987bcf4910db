// The loader's plan for real and hostile binaries: Debian's busybox-static as the kernel's
// readelf sees it, then every refusal ElfLoader promises, then random garbage (no exception,
// no plan that leaves the foreign region).
using ExoSharp.LibOS.Linux.Loader;
using Xunit;

namespace ExoSharp.Tests.Linux
{
    public unsafe class LoaderTests
    {
        private const ulong Low = 0x10000, Limit = 0x7000_0000_0000, PieBase = 0x5555_0000_0000;

        internal static string Plan(byte[] file, ElfLoadPlan plan)
        {
            fixed (byte* data = file) return ElfLoader.Plan(data, (ulong)file.Length, PieBase, Low, Limit, plan);
        }

        public static string BusyboxPath =>
            System.Environment.GetEnvironmentVariable("BUSYBOX") ?? Path.Combine(Repository.Root, "out/linux/busybox-static/bin/busybox");


        [Fact]
        public void BusyboxStaticPlansAsReadelfShowsIt()
        {
            Assert.True(File.Exists(BusyboxPath), "tools/busybox.sh fetches " + BusyboxPath);
            var plan = new ElfLoadPlan();
            Assert.Null(Plan(File.ReadAllBytes(BusyboxPath), plan));
            Assert.False(plan.PositionIndependent);
            Assert.Equal(4, plan.SegmentCount);
            Assert.Equal(0x400000UL, plan.Segments[0].Address);
            Assert.Equal(0x40ebf0UL, plan.Entry);
            Assert.Equal(5u, plan.Segments[1].Flags);                      // R E
            Assert.Equal(6u, plan.Segments[3].Flags);                      // RW
            Assert.Equal(0x5db708UL, plan.Segments[3].Address);
            Assert.Equal(0x5db708UL + 0x10450 + 0xFFF & ~0xFFFUL, plan.Break);
            Assert.Equal(0x400040UL, plan.ProgramHeaders);                 // in the first segment
            Assert.Equal(10UL, plan.ProgramHeaderCount);
            Assert.Equal(0x5db708UL, plan.TlsAddress);
            Assert.Equal(0x28UL, plan.TlsFileSize);
            Assert.Equal(0x8aUL, plan.TlsMemorySize);
        }

        private static ElfFiles.Header Load(ulong offset, ulong address, ulong file, ulong memory, uint flags = 5) =>
            new(ElfLoader.PtLoad, flags, offset, address, file, memory);

        [Fact]
        public void AStaticPieGoesToItsBase()
        {
            var plan = new ElfLoadPlan();
            byte[] file = ElfFiles.Make(ElfLoader.EtDyn, 0x1010, Load(0, 0, 0x2000, 0x2000), Load(0x2000, 0x3000, 0x100, 0x5000, 6));
            Assert.Null(Plan(file, plan));
            Assert.True(plan.PositionIndependent);
            Assert.Equal(PieBase, plan.Segments[0].Address);
            Assert.Equal(PieBase + 0x1010, plan.Entry);
            Assert.Equal(PieBase + 0x8000, plan.Break);
        }

        [Theory]
        [InlineData("interpreter", "dynamically linked")]
        [InlineData("overlap", "overlaps the one before it")]
        [InlineData("backwards", "overlaps the one before it")]
        [InlineData("morefile", "has more file than memory")]
        [InlineData("pastfile", "lies outside the file")]
        [InlineData("kernel", "outside the foreign region")]
        [InlineData("library", "outside the foreign region")]
        [InlineData("wrap", "outside the foreign region")]
        [InlineData("nullpage", "outside the foreign region")]
        [InlineData("congruence", "not page-congruent")]
        [InlineData("entry", "entry point is not in an executable segment")]
        [InlineData("empty", "no loadable segment")]
        [InlineData("relocatable", "not an executable")]
        public void HostileBinariesAreRefusedWithAReason(string kind, string reason)
        {
            ushort type = ElfLoader.EtExec;
            ulong entry = 0x401000;
            ElfFiles.Header[] headers = kind switch
            {
                "interpreter" => new[] { new ElfFiles.Header(ElfLoader.PtInterp, 4, 0, 0x400000, 1, 1), Load(0, 0x400000, 0x2000, 0x2000) },
                "overlap" => new[] { Load(0, 0x400000, 0x2000, 0x2000), Load(0x1000, 0x401000, 0x1000, 0x1000, 6) },
                "backwards" => new[] { Load(0x1000, 0x401000, 0x1000, 0x1000), Load(0, 0x400000, 0x1000, 0x1000, 6) },
                "morefile" => new[] { Load(0, 0x400000, 0x3000, 0x2000) },
                "pastfile" => new[] { Load(0x100000, 0x400000, 0x1000, 0x1000) },
                "kernel" => new[] { Load(0, 0xFFFF_8000_0000_0000, 0x2000, 0x2000) },
                "library" => new[] { Load(0, 0x6FFF_FFFF_F000, 0x2000, 0x2000) },
                "wrap" => new[] { Load(0, 0x400000, 0x2000, ulong.MaxValue - 0x1000) },
                "nullpage" => new[] { Load(0, 0, 0x2000, 0x2000) },
                "congruence" => new[] { Load(0x10, 0x400000, 0x2000, 0x2000) },
                "entry" => new[] { Load(0, 0x400000, 0x2000, 0x2000, 6) },
                "empty" => new[] { new ElfFiles.Header(4, 4, 0, 0, 0, 0) },
                _ => new[] { Load(0, 0x400000, 0x2000, 0x2000) },
            };
            if (kind == "relocatable") type = 1;
            var plan = new ElfLoadPlan();
            byte[] file = ElfFiles.Make(type, entry, headers);
            if (kind == "pastfile") file = file[..(64 + 56 * headers.Length)];
            string error = Plan(file, plan);
            Assert.NotNull(error);
            Assert.Contains(reason, error);
        }

        [Fact]
        public void GarbageNeverThrowsNorPlansOutsideTheRegion()
        {
            var random = new Random(7);
            byte[] good = ElfFiles.Make(2, 0x401000, Load(0, 0x400000, 0x2000, 0x2000), Load(0x2000, 0x402000, 0x800, 0x3000, 6),
                new ElfFiles.Header(ElfLoader.PtTls, 4, 0x2000, 0x402000, 0x10, 0x20));
            int planned = 0;
            for (int round = 0; round < 20000; round++)
            {
                byte[] file = (byte[])good.Clone();
                int flips = random.Next(1, 12);
                for (int i = 0; i < flips; i++) file[random.Next(64 + 3 * 56)] = (byte)random.Next(256);
                if (random.Next(8) == 0) file = file[..random.Next(file.Length)];
                var plan = new ElfLoadPlan();
                if (Plan(file, plan) != null) continue;
                planned++;
                for (int s = 0; s < plan.SegmentCount; s++)
                {
                    Assert.InRange(plan.Segments[s].Address, Low, Limit);
                    Assert.True(plan.Segments[s].End <= Limit);
                    Assert.True(plan.Segments[s].FileOffset + plan.Segments[s].FileSize <= (ulong)file.Length);
                    if (s > 0) Assert.True(plan.Segments[s].Address >= plan.Segments[s - 1].End);
                }
            }
            Assert.True(planned > 0, "some mutations still plan (the check is not vacuous)");
        }
    }
}
