// The disk XN protects, as a seam: the kernel's virtio-blk driver implements it, host tests use
// an in-memory disk that can crash. Transfers are asynchronous: Submit queues a request and the
// device later calls IDiskCompletion.Completed(tag, ok), in the kernel from its interrupt.
// ReadNow/WriteNow are synchronous and used only by Format and Mount (at boot, by polling). Every
// buffer is a whole page from XN's IPageSource, named by pointer and frame, so a driver can DMA.
namespace ExoSharp.Xn;

public unsafe interface IBlockDevice
{
    /// <summary>Number of 4096-byte blocks on the disk.</summary>
    uint BlockCount { get; }

    /// <summary>Queues a transfer; false when the queue is full. Precondition: request.Buffer
    /// is a page (frame request.Frame) left untouched by the caller until the completion.</summary>
    bool Submit(in DiskRequest request);

    /// <summary>Reads a block at once into page (frame `frame`) (mount only); false on an I/O error.</summary>
    bool ReadNow(uint block, byte* page, ulong frame);

    /// <summary>Writes a block at once from page (frame `frame`) (format only); false on an I/O error.</summary>
    bool WriteNow(uint block, byte* page, ulong frame);
}
