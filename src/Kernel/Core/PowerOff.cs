// Ends the machine: QEMU's isa-debug-exit device (port 0xf4: QEMU exits with 2 * value + 1),
// then QEMU's ACPI power-off port, then halt (on a PC without either device).
// Guest status convention (README.md): 0-125 the first environment's exit status,
// 126 it was killed, 127 a kernel panic.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static class PowerOff
    {
        public const int StatusKilled = 126;
        public const int StatusPanic = 127;

        public static void Exit(int status)
        {
            Cpu.OutDword(0xF4, (uint)status);
            Cpu.OutWord(0x604, 0x2000);
            Cpu.HaltForever();
        }
    }
}
