// The clock page every environment reads (UserLayout.Clock, an Abi.ClockRecord): the RTC's
// time at boot and the tick count, published by the timer interrupt. Interrupts off.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class WallClock
    {
        private static ClockRecord* s_record;

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

        public static ulong BootSeconds => s_record == null ? 0 : s_record->BootSeconds;
    }
}
