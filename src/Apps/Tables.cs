// Reads the kernel's tables from user space without system calls, and checks them against
// what the system calls say: the page-table entry of this code's page, this environment's
// row of the environment table, the frame table's count for the code frame.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps
{
    internal static unsafe class Tables
    {
        /// <summary>The windows are read-only: a write to one's own page table is a fault.</summary>
        private static int Write()
        {
            System.Console.WriteLine("tables: now writing to my own page table");
            ((ulong*)UserLayout.PageTables)[Startup.ImageStart >> 12] |= 2;
            System.Console.WriteLine("tables: wrote my page table (the kernel let me)");
            return 1;
        }

        public static int Main(string arguments)
        {
            if (arguments == "write") return Write();
            int failures = 0;
            PageInfo info;
            SystemCall.PageQuery(Startup.ImageStart, &info);
            ulong entry = KernelTables.PageEntry(Startup.ImageStart);
            bool pageOk = (entry & 0x000F_FFFF_FFFF_F000) >> 12 == info.Frame && (entry & 5) == 5;
            System.Console.WriteLine("tables: page table entry of the image's first page (0x" + Startup.ImageStart.ToString("x") + ") is 0x" + entry.ToString("x") + (pageOk ? " ok" : " WRONG"));
            if (!pageOk) failures++;
            bool unmappedOk = KernelTables.PageEntry(0x3000_0000_0000) == 0;
            System.Console.WriteLine("tables: an unmapped region reads as 0" + (unmappedOk ? " ok" : " WRONG"));
            if (!unmappedOk) failures++;
            EnvRecord me = KernelTables.Environment(Process.Id);
            bool envOk = me.Id == Process.Id && (me.Status & (EnvRecord.Live | EnvRecord.Runnable)) == (EnvRecord.Live | EnvRecord.Runnable);
            System.Console.WriteLine("tables: my row: id " + me.Id.ToString() + ", status " + me.Status.ToString() + (envOk ? " ok" : " WRONG"));
            if (!envOk) failures++;
            long child = Process.Fork();
            if (child == 0)
            {
                IpcMessage message;
                SystemCall.IpcWait(&message);
                return 0;
            }
            ulong kidId = (ulong)SystemCall.EnvIdOf((ulong)child);
            SystemCall.Yield((ulong)child);
            EnvRecord kid = KernelTables.Environment(kidId);
            bool kidOk = kid.ParentId == Process.Id && (kid.Status & EnvRecord.Waiting) != 0;
            System.Console.WriteLine("tables: my child's row names me as parent, and it waits" + (kidOk ? " ok" : " WRONG"));
            if (!kidOk) failures++;
            SystemCall.EnvDestroy((ulong)child);
            // An ended environment's capabilities go back a bounded step a tick (docs/abi.md).
            ulong start = Clock.Ticks;
            while (KernelTables.FrameReferences(info.Frame) > 1 && Clock.Ticks - start < 100) SystemCall.Yield();
            int references = KernelTables.FrameReferences(info.Frame);
            bool frameOk = references >= 1;
            System.Console.WriteLine("tables: the code frame has " + references.ToString() + " references" + (frameOk ? " ok" : " WRONG"));
            if (!frameOk) failures++;
            if (failures != 0) return 1;
            System.Console.WriteLine("tables: all read without a system call");
            return 0;
        }
    }
}
