// Host only: classic pcap files (not pcapng): either byte order, microsecond (a1b2c3d4) or
// nanosecond (a1b23c4d) magic. Read reports problems as a message instead of throwing; a damaged
// record ends the capture as in libpcap (the records before it are kept, the message says why).
// Write produces little-endian microsecond files (tests use it for synthetic captures).
using System;
using System.Collections.Generic;
using System.IO;

namespace ExoSharp.Tools.FilterVerdicts
{
    public sealed class PcapFile
    {
        /// <summary>Largest packet accepted; bigger record lengths mean a corrupt file.</summary>
        public const int MaxRecord = 256 * 1024;

        public PcapFile(uint linkType, List<PcapRecord> records)
        {
            LinkType = linkType;
            Records = records;
        }

        public uint LinkType { get; }
        public List<PcapRecord> Records { get; }

        /// <summary>The capture in bytes; null with error set if the file header is bad; the records
        /// before a damaged one, with error set, if a record is bad.</summary>
        public static PcapFile Read(byte[] bytes, out string error)
        {
            error = null;
            if (bytes.Length < 24)
            {
                error = "not a pcap file: shorter than its 24-byte header";
                return null;
            }
            uint magic = BitConverter.ToUInt32(bytes, 0);
            bool swap;
            if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) swap = false;
            else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) swap = true;
            else
            {
                error = "not a classic pcap file (magic " + magic.ToString("x8") + "; pcapng is not supported)";
                return null;
            }
            uint linkType = Field(bytes, 20, swap);
            var records = new List<PcapRecord>();
            int at = 24;
            while (at < bytes.Length)
            {
                if (bytes.Length - at < 16)
                {
                    error = "truncated record header at byte " + at;
                    break;
                }
                uint captured = Field(bytes, at + 8, swap);
                uint wire = Field(bytes, at + 12, swap);
                at += 16;
                if (captured > MaxRecord || captured > (uint)(bytes.Length - at))
                {
                    error = "record at byte " + (at - 16) + " claims " + captured + " bytes, more than the file holds";
                    break;
                }
                byte[] data = new byte[captured];
                Array.Copy(bytes, at, data, 0, (int)captured);
                records.Add(new PcapRecord(data, wire));
                at += (int)captured;
            }
            return new PcapFile(linkType, records);
        }

        public static void Write(string path, uint linkType, IEnumerable<PcapRecord> records)
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            using var writer = new BinaryWriter(stream);
            writer.Write(0xa1b2c3d4u);
            writer.Write((ushort)2);
            writer.Write((ushort)4);
            writer.Write(0);
            writer.Write(0u);
            writer.Write(65535u);
            writer.Write(linkType);
            uint seconds = 1;
            foreach (PcapRecord record in records)
            {
                writer.Write(seconds++);
                writer.Write(0u);
                writer.Write((uint)record.Data.Length);
                writer.Write(record.WireLength);
                writer.Write(record.Data);
            }
        }

        private static uint Field(byte[] bytes, int at, bool swap)
        {
            uint value = BitConverter.ToUInt32(bytes, at);
            return swap ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value) : value;
        }
    }
}
