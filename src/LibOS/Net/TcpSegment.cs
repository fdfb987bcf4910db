// A received TCP segment, parsed in place (the data pointer is into the ring slot or the
// reassembly buffer): header fields and the options the stack understands. Unknown options
// are skipped; a malformed option list ends parsing and keeps what was read before it.
namespace ExoSharp.LibOS.Net
{
    public unsafe struct TcpSegment
    {
        public const byte Fin = 1, Syn = 2, Rst = 4, Psh = 8, Ack = 16, Urg = 32;

        public uint Source, Destination;
        public ushort SourcePort, DestinationPort;
        public uint SeqNo, AckNo;
        public byte Flags;
        public uint Window;             // unscaled, as on the wire
        public byte* Data;
        public uint Length;             // data bytes

        public ushort Mss;              // 0: none
        public int WindowShift;         // -1: none
        public bool SackPermitted, HasTimestamp;
        public uint TsVal, TsEcr;
        public int SackBlocks;
        public fixed uint SackStart[4];
        public fixed uint SackEnd[4];

        public bool Has(byte flag) => (Flags & flag) != 0;

        /// <summary>SEG.LEN: data plus SYN and FIN.</summary>
        public uint SequenceLength => Length + (Has(Syn) ? 1u : 0) + (Has(Fin) ? 1u : 0);

        /// <summary>Parses a TCP header at tcp (length bytes to the end of the IP payload);
        /// false when it is too short or its data offset is impossible.</summary>
        public bool Parse(byte* tcp, uint length)
        {
            if (length < 20) return false;
            uint offset = (uint)(tcp[12] >> 4) * 4;
            if (offset < 20 || offset > length) return false;
            SourcePort = Wire.Get16(tcp);
            DestinationPort = Wire.Get16(tcp + 2);
            SeqNo = Wire.Get32(tcp + 4);
            AckNo = Wire.Get32(tcp + 8);
            Flags = (byte)(tcp[13] & 0x3F);
            Window = Wire.Get16(tcp + 14);
            Data = tcp + offset;
            Length = length - offset;
            Mss = 0;
            WindowShift = -1;
            SackPermitted = false;
            HasTimestamp = false;
            SackBlocks = 0;
            byte* o = tcp + 20, end = tcp + offset;
            while (o < end)
            {
                byte kind = o[0];
                if (kind == 0) break;
                if (kind == 1) { o++; continue; }
                if (o + 1 >= end) break;
                uint size = o[1];
                if (size < 2 || o + size > end) break;
                if (kind == 2 && size == 4) Mss = Wire.Get16(o + 2);
                else if (kind == 3 && size == 3) WindowShift = o[2] > 14 ? 14 : o[2];
                else if (kind == 4 && size == 2) SackPermitted = true;
                else if (kind == 8 && size == 10)
                {
                    HasTimestamp = true;
                    TsVal = Wire.Get32(o + 2);
                    TsEcr = Wire.Get32(o + 6);
                }
                else if (kind == 5 && size >= 10 && (size - 2) % 8 == 0)
                {
                    uint blocks = (size - 2) / 8;
                    for (uint b = 0; b < blocks && SackBlocks < 4; b++)
                    {
                        SackStart[SackBlocks] = Wire.Get32(o + 2 + b * 8);
                        SackEnd[SackBlocks] = Wire.Get32(o + 6 + b * 8);
                        SackBlocks++;
                    }
                }
                o += size;
            }
            return true;
        }
    }
}
