// The disk XN protects, as a seam: the kernel's virtio-blk driver implements it, host tests use
// an in-memory disk that can crash. Transfers are asynchronous: Submit queues a request and the
// device later calls IDiskCompletion.Completed(tag, ok), in the kernel from its interrupt.
// ReadNow/WriteNow are synchronous and used only by Format and Mount (at boot, by polling).
namespace ExoSharp.Xn
{
    public interface IBlockDevice
    {
        /// <summary>Number of 4096-byte blocks on the disk.</summary>
        uint BlockCount { get; }

        /// <summary>Queues a transfer; false when the queue is full. Precondition: request.Buffer
        /// holds BlockSize bytes and stays untouched by the caller until the completion.</summary>
        bool Submit(in DiskRequest request);

        /// <summary>Reads a block at once (mount only); false on an I/O error.</summary>
        bool ReadNow(uint block, byte[] buffer);

        /// <summary>Writes a block at once (format only); false on an I/O error.</summary>
        bool WriteNow(uint block, byte[] buffer);
    }
}
