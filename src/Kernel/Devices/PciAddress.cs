// A PCI function's bus/device/function triple and its configuration-space address encoding.
namespace ExoSharp.Kernel.Devices;

internal readonly struct PciAddress
{
    public readonly byte Bus, Slot, Function;

    public PciAddress(int bus, int slot, int function)
    {
        Bus = (byte)bus;
        Slot = (byte)slot;
        Function = (byte)function;
    }

    public uint ConfigAddress(int offset) =>
        0x8000_0000u | ((uint)Bus << 16) | ((uint)Slot << 11) | ((uint)Function << 8) | ((uint)offset & 0xFC);
}
