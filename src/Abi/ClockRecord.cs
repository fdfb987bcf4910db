// The kernel's clock page (UserLayout.Clock), read-only to every environment: the wall-clock
// time the CMOS real-time clock gave at boot and the timer ticks since. Wall time now is
// BootSeconds + (Ticks - BootTick) / TicksPerSecond; the RTC is read once (no drift
// correction, no leap seconds: the RTC is taken to hold UTC, as QEMU's default does).
// IdleCycles: time-stamp-counter cycles the kernel spent halted waiting for an interrupt (so a
// benchmark under -icount shift=0 can take idle time out of its guest-instruction counts).
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    public struct ClockRecord
    {
        /// <summary>Seconds since 1970-01-01 00:00:00 UTC when the RTC was read; 0 if it could not be.</summary>
        [FieldOffset(0)] public ulong BootSeconds;
        /// <summary>The tick count at which BootSeconds was read.</summary>
        [FieldOffset(8)] public ulong BootTick;
        /// <summary>Timer ticks since the timer started; written by the kernel at every tick.</summary>
        [FieldOffset(16)] public ulong Ticks;
        [FieldOffset(24)] public ulong TicksPerSecond;
        /// <summary>TSC cycles spent halted in the idle loop since boot, from the halt to the start
        /// of the interrupt that ended it (the interrupt's own work counts as busy).</summary>
        [FieldOffset(32)] public ulong IdleCycles;
    }
}
