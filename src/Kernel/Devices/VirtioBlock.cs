// The disk: a legacy virtio-blk PCI device (QEMU's virtio-blk-pci), in blocks of BlockSize
// bytes (8 sectors). Each request is a three-descriptor chain (header, the caller's page, status
// byte). Submit starts a transfer and returns at once; the interrupt handler reports each
// completion through the OnComplete hook (the buffer cache). Transfer is the synchronous form
// for boot time (it polls, and still reports other requests' completions).
// Interrupts off throughout; nothing here allocates after Initialize.
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Devices;

internal static unsafe class VirtioBlock
{
    public const int BlockSize = 4096;
    private const ushort VendorVirtio = 0x1AF4, TransitionalBlock = 0x1001, ModernBlock = 0x1042;
    private const uint RequestRead = 0, RequestWrite = 1;
    private const int MaxRequests = 64;

    private static VirtioLegacy s_device;
    private static VirtQueue s_queue;
    private static int s_requests;
    private static readonly ulong[] s_tags = new ulong[MaxRequests];
    private static readonly bool[] s_busy = new bool[MaxRequests];
    private static readonly bool[] s_done = new bool[MaxRequests];
    private static readonly bool[] s_ok = new bool[MaxRequests];

    public static bool Present => s_device != null;

    /// <summary>The disk's size in blocks.</summary>
    public static ulong Blocks;

    /// <summary>Called for every finished Submit (tag, success), from the interrupt handler or a
    /// Transfer's polling. Interrupts off; must not allocate.</summary>
    public static delegate*<ulong, bool, void> OnComplete;

    /// <summary>Boot time: finds and starts the disk; false when there is none usable.</summary>
    public static bool Initialize()
    {
        if (!Pci.Find(VendorVirtio, TransitionalBlock, ModernBlock, out PciAddress at)) return false;
        var device = new VirtioLegacy(at);
        if (device.Port == 0)
        {
            Console.WriteLine("kernel: disk: the virtio-blk device has no legacy I/O interface (use disable-legacy=off)");
            return false;
        }
        device.Begin(0);
        ushort size = device.QueueSizeOf(0);
        s_queue = VirtQueue.Create(size, 32, false);
        if (s_queue == null)
        {
            device.Fail();
            Console.WriteLine("kernel: disk: no memory for the virtio-blk queue");
            return false;
        }
        s_requests = size / 3 < MaxRequests ? size / 3 : MaxRequests;
        device.SetQueue(0, s_queue);
        Blocks = ((ulong)device.ConfigDword(0) | (ulong)device.ConfigDword(4) << 32) / (BlockSize / 512);
        device.Ready();
        s_device = device;
        if (!InterruptLines.Register(device.Line, &Interrupt))
        {
            Console.WriteLine("kernel: disk: the virtio-blk device has no usable interrupt line");
            s_device = null;
            return false;
        }
        return true;
    }

    /// <summary>Starts reading or writing block from or to the page at physical. False when
    /// the block is out of range or every request slot is busy (try again after a completion).</summary>
    public static bool Submit(bool write, ulong block, ulong physical, ulong tag) => Start(write, block, physical, tag) >= 0;

    private static int Start(bool write, ulong block, ulong physical, ulong tag)
    {
        if (s_device == null || block >= Blocks) return -1;
        int k = 0;
        while (k < s_requests && s_busy[k]) k++;
        if (k == s_requests) return -1;
        s_busy[k] = true;
        s_done[k] = false;
        s_tags[k] = tag;
        byte* header = s_queue.Buffer(k);
        *(uint*)header = write ? RequestWrite : RequestRead;
        *(uint*)(header + 4) = 0;
        *(ulong*)(header + 8) = block * (BlockSize / 512);
        header[16] = 0xFF;
        ulong headerPhysical = s_queue.BufferPhysical(k);
        s_queue.Chain(3 * k, headerPhysical, 16, VirtQueue.DescriptorNext, 3 * k + 1);
        s_queue.Chain(3 * k + 1, physical, BlockSize, (ushort)(VirtQueue.DescriptorNext | (write ? 0 : VirtQueue.DescriptorWrite)), 3 * k + 2);
        s_queue.Chain(3 * k + 2, headerPhysical + 16, 1, VirtQueue.DescriptorWrite, 0);
        s_queue.Offer(3 * k);
        s_device.Notify(0);
        return k;
    }

    /// <summary>Boot time: reads or writes one block and waits for it (polling). False on a
    /// device error, an out-of-range block, or no free request slot.</summary>
    public static bool Transfer(bool write, ulong block, ulong physical)
    {
        int k = Start(write, block, physical, ulong.MaxValue);
        if (k < 0) return false;
        while (!s_done[k]) Reap();
        bool ok = s_ok[k];
        s_busy[k] = false;
        return ok;
    }

    private static void Interrupt()
    {
        if ((s_device.AcknowledgeInterrupt() & 1) != 0) Reap();
    }

    private static void Reap()
    {
        while (s_queue.NextUsed(out int head, out _))
        {
            int k = head / 3;
            if (k >= s_requests || !s_busy[k]) continue;
            bool ok = s_queue.Buffer(k)[16] == 0;
            if (s_tags[k] == ulong.MaxValue)
            {
                s_ok[k] = ok;               // a Transfer waits for this one
                s_done[k] = true;
                continue;
            }
            s_busy[k] = false;
            if (OnComplete != null) OnComplete(s_tags[k], ok);
        }
    }
}
