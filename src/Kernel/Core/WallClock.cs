// The clock page every environment reads (UserLayout.Clock, an Abi.ClockRecord): the RTC's
// time at boot and the tick count, published by the timer interrupt, and the cycles spent idle
// (halted in the scheduler's idle loop until the next interrupt begins). Interrupts off.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class WallClock
{
    private static ClockRecord* s_record;
    private static ulong s_idleSince;   // TSC when the current halt began; 0 when not halted

    /// <summary>Reads the RTC and maps the clock page. Precondition: boot, after the frames.</summary>
    public static void Initialize()
    {
        s_record = (ClockRecord*)KernelWindows.Allocate(UserLayout.Clock, (ulong)sizeof(ClockRecord));
        s_record->TicksPerSecond = Pit.Hz;
        s_record->BootTick = Pit.Ticks;
        s_record->BootSeconds = Rtc.ReadUnixSeconds();
    }

    /// <summary>One timer tick. Precondition: the timer interrupt.</summary>
    public static void Tick()
    {
        Pit.Ticks++;
        if (s_record != null) s_record->Ticks = Pit.Ticks;
    }

    /// <summary>Halts until the next interrupt, counting the cycles halted. Precondition:
    /// interrupts off (the scheduler's idle loop).</summary>
    public static void Idle()
    {
        s_idleSince = Cpu.ReadTsc();
        UserMode.Idle();
        EndIdle();
    }

    /// <summary>An interrupt begins (or a halt ended): the halt's cycles are counted once.</summary>
    public static void EndIdle()
    {
        if (s_idleSince == 0) return;
        ulong now = Cpu.ReadTsc();
        if (s_record != null) s_record->IdleCycles += now - s_idleSince;
        s_idleSince = 0;
    }

    public static ulong BootSeconds => s_record == null ? 0 : s_record->BootSeconds;
}
