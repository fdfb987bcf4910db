// COM1 at 115200 8N1, polled. The kernel's console: every line the kernel prints goes here.
// Must not allocate (used by the panic path).
namespace ExoSharp.Kernel.X64
{
    internal static class Serial
    {
        private const ushort Port = 0x3F8;

        public static void Initialize()
        {
            Cpu.OutByte(Port + 1, 0x00);  // no interrupts
            Cpu.OutByte(Port + 3, 0x80);  // DLAB
            Cpu.OutByte(Port + 0, 0x01);  // divisor 1: 115200 baud
            Cpu.OutByte(Port + 1, 0x00);
            Cpu.OutByte(Port + 3, 0x03);  // 8N1
            Cpu.OutByte(Port + 2, 0xC7);  // FIFO on, cleared
            Cpu.OutByte(Port + 4, 0x03);  // DTR, RTS
        }

        public static void WriteByte(byte b)
        {
            while ((Cpu.InByte(Port + 5) & 0x20) == 0) { }
            Cpu.OutByte(Port, b);
        }
    }
}
