// The network card: a legacy virtio-net PCI device (QEMU's virtio-net-pci). Why virtio and
// not e1000: one queue format (VirtQueue) and one transport serve the card and the disk, the
// device needs no per-register emulation quirks, and it is what cloud machines offer; an e1000
// driver would be a second descriptor format for no gain in what the kernel demonstrates.
// Receive: every receive buffer stays posted; the interrupt handler hands each frame to
// OnReceive (Net.Network.Deliver, which copies it out) and posts the buffer again at once, so the kernel
// never holds frames and never stalls. Transmit: a frame is copied into a transmit buffer.
// Interrupts off throughout; nothing here allocates after Initialize.
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Devices;

internal static unsafe class VirtioNet
{
    private const ushort VendorVirtio = 0x1AF4, TransitionalNet = 0x1000, ModernNet = 0x1041;
    private const int FeatureMac = 5;
    private const int HeaderSize = 10;          // struct virtio_net_hdr without MRG_RXBUF
    private const ushort ReceiveQueue = 0, TransmitQueue = 1;

    private static VirtioLegacy s_device;
    private static VirtQueue s_receive, s_transmit;
    private static int s_nextTransmit;

    public static bool Present => s_device != null;
    public static ulong Mac;

    /// <summary>Where received frames go (set before Initialize; null: dropped).</summary>
    public static delegate*<byte*, uint, void> OnReceive;

    /// <summary>Boot time: finds and starts the card; false (and a console line) when there is none usable.</summary>
    public static bool Initialize()
    {
        if (!Pci.Find(VendorVirtio, TransitionalNet, ModernNet, out PciAddress at)) return false;
        var device = new VirtioLegacy(at);
        if (device.Port == 0)
        {
            Console.WriteLine("kernel: net: the virtio-net card has no legacy I/O interface (use disable-legacy=off)");
            return false;
        }
        uint features = device.Begin((1u << FeatureMac) | (1u << VirtioLegacy.FeatureAnyLayout));
        ushort receiveSize = device.QueueSizeOf(ReceiveQueue), transmitSize = device.QueueSizeOf(TransmitQueue);
        s_receive = VirtQueue.Create(receiveSize, HeaderSize + Abi.PacketRing.SlotSize - Abi.PacketRing.HeaderSize, true);
        s_transmit = VirtQueue.Create(transmitSize, HeaderSize + Abi.PacketRing.MaxFrame, false);
        if (s_receive == null || s_transmit == null || (features & (1u << FeatureMac)) == 0)
        {
            device.Fail();
            Console.WriteLine("kernel: net: the virtio-net card could not be set up (no MAC feature or no memory)");
            return false;
        }
        device.SetQueue(ReceiveQueue, s_receive);
        device.SetQueue(TransmitQueue, s_transmit);
        s_transmit.SuppressInterrupts();
        for (int i = 0; i < 6; i++) Mac |= (ulong)device.ConfigByte(i) << (8 * i);
        device.Ready();
        for (int i = 0; i < s_receive.Size; i++) s_receive.Post(i, s_receive.BufferSize);
        device.Notify(ReceiveQueue);
        s_device = device;
        if (!InterruptLines.Register(device.Line, &Interrupt))
        {
            Console.WriteLine("kernel: net: the virtio-net card has no usable interrupt line");
            s_device = null;
            return false;
        }
        return true;
    }

    /// <summary>The card's interrupt: hands every received frame to OnReceive.</summary>
    private static void Interrupt()
    {
        if ((s_device.AcknowledgeInterrupt() & 1) == 0) return;
        bool posted = false;
        while (s_receive.NextUsed(out int index, out int length))
        {
            if (length > HeaderSize && OnReceive != null) OnReceive(s_receive.Buffer(index) + HeaderSize, (uint)(length - HeaderSize));
            s_receive.Post(index, s_receive.BufferSize);
            posted = true;
        }
        if (posted) s_device.Notify(ReceiveQueue);
    }

    /// <summary>Where the next frame to send goes (its first byte), or null while every
    /// transmit buffer is still with the card. Follow with Send.</summary>
    public static byte* TransmitBuffer()
    {
        while (s_transmit.NextUsed(out _, out _)) { }
        if (s_transmit.InFlight >= s_transmit.Size) return null;
        return s_transmit.Buffer(s_nextTransmit) + HeaderSize;
    }

    /// <summary>Sends the frame written at TransmitBuffer(). Precondition: TransmitBuffer() was not null.</summary>
    public static void Send(uint length)
    {
        byte* buffer = s_transmit.Buffer(s_nextTransmit);
        for (int i = 0; i < HeaderSize; i++) buffer[i] = 0;
        s_transmit.Post(s_nextTransmit, HeaderSize + (int)length);
        s_nextTransmit = (s_nextTransmit + 1) % s_transmit.Size;
        s_device.Notify(TransmitQueue);
    }
}
