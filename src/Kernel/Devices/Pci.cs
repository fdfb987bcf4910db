// PCI configuration space through the legacy ports 0xCF8/0xCFC (mechanism 1), and a scan of
// every bus, device and function for the devices the kernel drives. Interrupts off.
// Missing: PCI Express extended configuration (ECAM), MSI/MSI-X (legacy INTx lines only).
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Devices;

internal static class Pci
{
    private const ushort AddressPort = 0xCF8, DataPort = 0xCFC;
    public const int CommandRegister = 0x04;
    public const ushort CommandIo = 1, CommandMemory = 2, CommandBusMaster = 4;

    public static uint Read32(PciAddress at, int offset)
    {
        Cpu.OutDword(AddressPort, at.ConfigAddress(offset));
        return Cpu.InDword(DataPort);
    }

    public static void Write32(PciAddress at, int offset, uint value)
    {
        Cpu.OutDword(AddressPort, at.ConfigAddress(offset));
        Cpu.OutDword(DataPort, value);
    }

    public static ushort Read16(PciAddress at, int offset) => (ushort)(Read32(at, offset & ~3) >> ((offset & 2) * 8));

    public static void Write16(PciAddress at, int offset, ushort value)
    {
        uint word = Read32(at, offset & ~3);
        int shift = (offset & 2) * 8;
        word = (word & ~(0xFFFFu << shift)) | ((uint)value << shift);
        Write32(at, offset & ~3, word);
    }

    /// <summary>The first function with that vendor and one of the device ids, or false.</summary>
    public static bool Find(ushort vendor, ushort device, ushort otherDevice, out PciAddress found)
    {
        for (int bus = 0; bus < 256; bus++)
            for (int slot = 0; slot < 32; slot++)
            {
                var first = new PciAddress(bus, slot, 0);
                if ((Read32(first, 0) & 0xFFFF) == 0xFFFF) continue;
                bool multi = (Read32(first, 0x0C) & 0x0080_0000) != 0;
                for (int function = 0; function < (multi ? 8 : 1); function++)
                {
                    var at = new PciAddress(bus, slot, function);
                    uint id = Read32(at, 0);
                    if ((id & 0xFFFF) != vendor) continue;
                    ushort d = (ushort)(id >> 16);
                    if (d != device && d != otherDevice) continue;
                    found = at;
                    return true;
                }
            }
        found = default;
        return false;
    }

    /// <summary>An I/O-port BAR's base (0 when the BAR is not an I/O BAR).</summary>
    public static ushort IoBar(PciAddress at, int bar)
    {
        uint value = Read32(at, 0x10 + bar * 4);
        return (value & 1) == 0 ? (ushort)0 : (ushort)(value & 0xFFFC);
    }

    /// <summary>The legacy interrupt line (the PIC input) the firmware routed the device to; 0xFF: none.</summary>
    public static byte InterruptLine(PciAddress at) => (byte)Read32(at, 0x3C);

    public static void Enable(PciAddress at, ushort bits) => Write16(at, CommandRegister, (ushort)(Read16(at, CommandRegister) | bits));
}
