// The legacy virtio PCI transport (virtio 1.x section 4.1.4.8): registers in I/O-port BAR 0,
// device configuration at 0x14 (no MSI-X). QEMU's transitional devices (virtio-net-pci,
// virtio-blk-pci on the i440fx machine) offer it. Interrupts off.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Devices;

internal sealed class VirtioLegacy
{
    public const byte StatusAcknowledge = 1, StatusDriver = 2, StatusDriverOk = 4, StatusFailed = 128;
    public const int FeatureAnyLayout = 27;
    private const ushort HostFeatures = 0x00, GuestFeatures = 0x04, QueueAddress = 0x08, QueueSize = 0x0C;
    private const ushort QueueSelect = 0x0E, QueueNotify = 0x10, DeviceStatus = 0x12, IsrStatus = 0x13, Config = 0x14;

    public readonly ushort Port;
    public readonly byte Line;

    public VirtioLegacy(PciAddress at)
    {
        Pci.Enable(at, Pci.CommandIo | Pci.CommandBusMaster);
        Port = Pci.IoBar(at, 0);
        Line = Pci.InterruptLine(at);
    }

    /// <summary>Reset, acknowledge, and agree on the wanted features the device offers; returns them.</summary>
    public uint Begin(uint wanted)
    {
        Cpu.OutByte((ushort)(Port + DeviceStatus), 0);
        Cpu.OutByte((ushort)(Port + DeviceStatus), StatusAcknowledge);
        Cpu.OutByte((ushort)(Port + DeviceStatus), StatusAcknowledge | StatusDriver);
        uint agreed = Cpu.InDword((ushort)(Port + HostFeatures)) & wanted;
        Cpu.OutDword((ushort)(Port + GuestFeatures), agreed);
        return agreed;
    }

    /// <summary>The device's size for queue index (0: no such queue).</summary>
    public ushort QueueSizeOf(ushort index)
    {
        Cpu.OutWord((ushort)(Port + QueueSelect), index);
        return Cpu.InWord((ushort)(Port + QueueSize));
    }

    public void SetQueue(ushort index, VirtQueue queue)
    {
        Cpu.OutWord((ushort)(Port + QueueSelect), index);
        Cpu.OutDword((ushort)(Port + QueueAddress), (uint)(queue.PhysicalBase / 4096));
    }

    public void Ready() => Cpu.OutByte((ushort)(Port + DeviceStatus), StatusAcknowledge | StatusDriver | StatusDriverOk);

    public void Fail() => Cpu.OutByte((ushort)(Port + DeviceStatus), StatusFailed);

    public void Notify(ushort queue) => Cpu.OutWord((ushort)(Port + QueueNotify), queue);

    /// <summary>Reading the ISR status acknowledges the interrupt; bit 0: a queue has news.</summary>
    public byte AcknowledgeInterrupt() => Cpu.InByte((ushort)(Port + IsrStatus));

    public byte ConfigByte(int offset) => Cpu.InByte((ushort)(Port + Config + offset));

    public uint ConfigDword(int offset) => Cpu.InDword((ushort)(Port + Config + offset));
}
