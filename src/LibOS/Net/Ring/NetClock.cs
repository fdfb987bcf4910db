// Milliseconds for the stack, from the time-stamp counter calibrated against the kernel's
// 100 Hz timer at start (one 50 ms sleep). Under QEMU's TCG the counter follows QEMU's
// virtual clock, as the timer does; under -icount it counts instructions, and the
// calibration turns it back into (virtual) milliseconds.
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.LibOS.Net.Ring
{
    public static class NetClock
    {
        [RuntimeImport("net_rdtsc")] [MethodImpl(MethodImplOptions.InternalCall)] public static extern ulong Tsc();

        private static ulong s_perMs, s_base;

        public static void Calibrate()
        {
            if (s_perMs != 0) return;
            Clock.Sleep(1);                         // start at a tick's edge
            ulong start = Tsc();
            Clock.Sleep(5);
            ulong elapsed = Tsc() - start;
            s_perMs = elapsed / 50;
            if (s_perMs == 0) s_perMs = 1;
            s_base = start;
        }

        /// <summary>Time-stamp counter cycles per millisecond (after Calibrate).</summary>
        public static ulong TicksPerMs => s_perMs;

        /// <summary>Milliseconds since calibration (plus 1000, so 0 never means "now").</summary>
        public static long Now => (long)((Tsc() - s_base) / s_perMs) + 1000;
    }
}
