// Where the stack sends frames: in a program, the transmit ring (Ring/RingLink.cs); in host
// tests, an in-memory wire. The stack writes each frame in place at Reserve's pointer.
namespace ExoSharp.LibOS.Net
{
    public unsafe interface IFrameLink
    {
        /// <summary>Room for one frame of up to 1514 bytes, or null while the link is busy.
        /// The same slot is returned until Send.</summary>
        byte* Reserve();

        /// <summary>Sends the frame written at Reserve's pointer; false if the link refused it.</summary>
        bool Send(uint length);
    }
}
