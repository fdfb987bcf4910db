// COM1 at 115200 8N1. Output is polled: every line the kernel prints goes here. Input: while
// Receive(true) the UART raises IRQ 4 when its receive FIFO holds bytes; TryRead takes one.
// While it is off, what comes waits in the FIFO (and, under QEMU, in the host's stream).
// Must not allocate (used by the panic path and the interrupt handler).
namespace ExoSharp.Kernel.X64;

internal static class Serial
{
    private const ushort Port = 0x3F8;
    public const int Line = 4;

    public static void Initialize()
    {
        Cpu.OutByte(Port + 1, 0x00);  // no interrupts
        Cpu.OutByte(Port + 3, 0x80);  // DLAB
        Cpu.OutByte(Port + 0, 0x01);  // divisor 1: 115200 baud
        Cpu.OutByte(Port + 1, 0x00);
        Cpu.OutByte(Port + 3, 0x03);  // 8N1
        Cpu.OutByte(Port + 2, 0xC7);  // FIFO on, cleared, interrupt at 14 bytes (or the timeout)
        Cpu.OutByte(Port + 4, 0x03);  // DTR, RTS
    }

    /// <summary>Interrupts for received bytes (and nothing else), on or off. Precondition: a
    /// handler is registered for Line. Turned on with bytes waiting, the UART interrupts at once.</summary>
    public static void Receive(bool on)
    {
        Cpu.OutByte(Port + 4, 0x0B);  // DTR, RTS, OUT2 (routes the UART's interrupt to the PIC)
        Cpu.OutByte(Port + 1, on ? (byte)0x01 : (byte)0x00);
    }

    /// <summary>One received byte, if the FIFO holds one.</summary>
    public static bool TryRead(out byte b)
    {
        if ((Cpu.InByte(Port + 5) & 0x01) == 0)
        {
            b = 0;
            return false;
        }
        b = Cpu.InByte(Port);
        return true;
    }

    public static void WriteByte(byte b)
    {
        while ((Cpu.InByte(Port + 5) & 0x20) == 0) { }
        Cpu.OutByte(Port, b);
    }
}
