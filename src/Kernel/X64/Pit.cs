// The 8254 timer, channel 0, as the periodic tick (PIC line 0). The tick counter is the
// kernel's clock; nothing is scheduled on it yet.
namespace ExoSharp.Kernel.X64;

internal static class Pit
{
    public const int Hz = 100;
    private const int InputHz = 1193182;

    public static ulong Ticks;

    public static void Initialize()
    {
        int divisor = InputHz / Hz;
        Cpu.OutByte(0x43, 0x36);             // channel 0, lobyte/hibyte, square wave
        Cpu.OutByte(0x40, (byte)divisor);
        Cpu.OutByte(0x40, (byte)(divisor >> 8));
        Pic.Unmask(0);
    }
}
