// What the kernel measures about itself, in stubs.asm's exo_kernel_stats: the fast paths
// (upcall, PageMapOne, register IPC, directed Yield, light calls: fastpath=off turns all five
// off; a count of each one taken) and the longest stretch it ran with interrupts off, entry
// to exit, in guest TSC cycles (under QEMU's -icount shift=0: guest instructions) with what
// caused it. Boot (and XN's mount within it) is timed apart. Printed
// when the machine powers off (make bench reads the line under the hostile suite).
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class KernelStats
{
    [StructLayout(LayoutKind.Sequential)]
    public struct Block
    {
        public ulong FastPathsOff;      // non-zero: every fast path goes the general way
        public ulong UpcallFast, PageMapOneFast, IpcFast;
        public ulong Since;             // TSC at the start of the stretch being timed
        public ulong Longest, LongestCause, Cause;
        public ulong YieldFast, LightCalls;
    }

    /// <summary>Causes: CauseSyscall + the call number, a trap vector alone, or these.</summary>
    public const ulong CauseSyscall = 0x1000, CauseIdle = 0x3000;

    private static Block* s_block;
    private static ulong s_boot, s_mount;

    /// <summary>At the kernel's first instruction of C#: the boot's stretch starts.</summary>
    public static void Initialize(ulong cell, bool fastPathsOff)
    {
        s_block = (Block*)cell;
        s_block->Since = Cpu.ReadTsc();
        s_block->FastPathsOff = fastPathsOff ? 1UL : 0;
        LightInit(fastPathsOff ? 1UL : 0);
    }

    [RuntimeImport("exo_light_init")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void LightInit(ulong fastPathsOff);

    /// <summary>Times XN's mount (within the boot's stretch): start is the TSC before it.</summary>
    public static void NoteMount(ulong start) => s_mount = Cpu.ReadTsc() - start;

    /// <summary>Boot is over (the first environment is about to run): the longest stretch
    /// from here on is what programs can cause.</summary>
    public static void EndBoot()
    {
        ulong now = Cpu.ReadTsc();
        s_boot = now - s_block->Since;
        s_block->Since = now;
        s_block->Longest = 0;
    }

    /// <summary>The longest stretch since the last call (KernelCheck's measure, selfcheck=on),
    /// then a new measure starts now, so the check's own work is not counted; the power-off
    /// line keeps the longest of all.</summary>
    public static ulong TakeLongest() => TakeLongest(out _);

    public static ulong TakeLongest(out ulong cause)
    {
        ulong recent = s_block->Longest;
        cause = s_block->LongestCause;
        if (recent > s_overall)
        {
            s_overall = recent;
            s_overallCause = s_block->LongestCause;
        }
        s_block->Longest = 0;
        s_block->Since = Cpu.ReadTsc();
        return recent;
    }

    private static ulong s_overall, s_overallCause;

    public static void Print()
    {
        TakeLongest();
        Console.Format("kernel: longest stretch with interrupts off: {} TSC cycles (", s_overall);
        ulong cause = s_overallCause;
        if (cause == CauseIdle) Console.Write("the scheduler after idling");
        else if (cause >= CauseSyscall)
            Console.Format("system call {}", cause - CauseSyscall);
        else
            Console.Format("trap vector {}", cause);
        Console.Format("); boot {}, of which XN's mount {}\n", s_boot, s_mount);
        Console.Write(s_block->FastPathsOff != 0 ? "kernel: fast paths off" : "kernel: fast paths on");
        Console.Format(", taken: upcall {}, PageMapOne {}, register IPC {}, directed yield {}, light calls ",
                       s_block->UpcallFast, s_block->PageMapOneFast, s_block->IpcFast, s_block->YieldFast);
        Console.Format("{}\n", s_block->LightCalls);
    }
}
