// A transmit ring in this environment's memory (Abi.PacketRing): write a frame into Reserve's
// slot, then Send hands it to the kernel (NetTransmit), which checks it against the
// anti-spoofing rule and sends it or marks it refused.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public sealed unsafe class TransmitRing : PacketRings
    {
        private TransmitRing(ulong address, uint slots) : base(address, slots) { }

        /// <summary>Maps fresh pages at address for slots slots and attaches them as this
        /// environment's transmit ring; null with the error if that fails.</summary>
        public static TransmitRing Attach(ulong address, uint slots, out long error)
        {
            error = MapAndAttach(PacketRing.Transmit, address, slots);
            return error < 0 ? null : new TransmitRing(address, slots);
        }

        /// <summary>Where the next frame's bytes go (PacketRing.MaxFrame of room), or null while the
        /// kernel has not taken the slot yet (the card is busy).</summary>
        public byte* Reserve()
        {
            if (System.Threading.Volatile.Read(ref Slot->Length) != 0 && SystemCall.NetTransmit() <= 0) return null;
            return System.Threading.Volatile.Read(ref Slot->Length) != 0 ? null : (byte*)Slot + PacketRing.HeaderSize;
        }

        /// <summary>Sends the frame written at Reserve(): 0, or the kernel's refusal (an Error).</summary>
        public long Send(uint length)
        {
            PacketSlot* slot = Slot;
            slot->Status = 0;
            System.Threading.Volatile.Write(ref slot->Length, length);
            Advance();
            long taken = SystemCall.NetTransmit();
            if (taken < 0) return taken;
            return System.Threading.Volatile.Read(ref slot->Length) == 0 ? slot->Status : (long)Error.TableFull;
        }
    }
}
