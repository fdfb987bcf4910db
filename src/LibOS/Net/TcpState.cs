// RFC 9293's connection states (section 3.3.2), plus Free for an unused control block.
namespace ExoSharp.LibOS.Net
{
    public enum TcpState : byte
    {
        Free, Closed, Listen, SynSent, SynReceived, Established, FinWait1, FinWait2, CloseWait, Closing, LastAck, TimeWait,
    }
}
