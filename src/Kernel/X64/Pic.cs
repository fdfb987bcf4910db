// The legacy 8259 interrupt controllers, remapped to vectors 32-47 with everything masked
// but the lines the kernel asks for. Interrupts off.
namespace ExoSharp.Kernel.X64;

internal static class Pic
{
    public const int VectorBase = 32;

    public static void Initialize()
    {
        Cpu.OutByte(0x20, 0x11); Cpu.OutByte(0xA0, 0x11);   // ICW1: init, ICW4 follows
        Cpu.OutByte(0x21, VectorBase); Cpu.OutByte(0xA1, VectorBase + 8);
        Cpu.OutByte(0x21, 4); Cpu.OutByte(0xA1, 2);          // cascade on line 2
        Cpu.OutByte(0x21, 1); Cpu.OutByte(0xA1, 1);          // 8086 mode
        Cpu.OutByte(0x21, 0xFF); Cpu.OutByte(0xA1, 0xFF);    // all masked
    }

    public static void Unmask(int line)
    {
        if (line < 8) Cpu.OutByte(0x21, (byte)(Cpu.InByte(0x21) & ~(1 << line)));
        else
        {
            Cpu.OutByte(0xA1, (byte)(Cpu.InByte(0xA1) & ~(1 << (line - 8))));
            Cpu.OutByte(0x21, (byte)(Cpu.InByte(0x21) & ~(1 << 2)));
        }
    }

    /// <summary>Acknowledges an interrupt; false for a spurious one (nothing to acknowledge).</summary>
    public static bool EndOfInterrupt(int line)
    {
        if (line == 7 || line == 15)
        {
            ushort port = line == 7 ? (ushort)0x20 : (ushort)0xA0;
            Cpu.OutByte(port, 0x0B);                          // read the in-service register
            if ((Cpu.InByte(port) & 0x80) == 0)
            {
                if (line == 15) Cpu.OutByte(0x20, 0x20);      // the master did see the cascade
                return false;
            }
        }
        if (line >= 8) Cpu.OutByte(0xA0, 0x20);
        Cpu.OutByte(0x20, 0x20);
        return true;
    }
}
