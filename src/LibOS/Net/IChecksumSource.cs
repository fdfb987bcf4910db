// Bytes whose Internet-checksum contributions their owner already knows (a web server's file
// cache keeps running sums of each file): a program sending such bytes names the source, and
// the stack adds the known sum for them instead of reading them again (NetStack.TcpSend's
// summed form). The source may have dropped the bytes since: it says so, and the stack sums the
// copy it sends. Nothing here is trusted for correctness of the data, only for its sum.
namespace ExoSharp.LibOS.Net
{
    public interface IChecksumSource
    {
        /// <summary>Checksum.Sum of length bytes at offset of the contents named by tag (the
        /// first byte taken as the high half of a 16-bit word, as when they start a segment's
        /// data); false when the source no longer holds those contents.</summary>
        bool Sum(long tag, ulong offset, uint length, out ulong sum);
    }
}
