// Test fixture: an Ethernet capture made (fixed seed) from the real captures' Ethernet packets by
// mutation: truncated to every kind of short length, VLAN and QinQ tags inserted, header bytes
// flipped (IP header length, fragment fields, addresses), ARP and broadcast frames added. libpcap
// judges it like any other capture, so edge cases get a verdict from the reference too.
using ExoSharp.Tools.FilterVerdicts;

namespace ExoSharp.Tests.Executive
{
    internal static class SyntheticCapture
    {
        private static readonly Lazy<string> Made = new Lazy<string>(Make);

        public static string Path => Made.Value;

        private static string Make()
        {
            var random = new Random(20240604);
            var sources = new List<PcapRecord>();
            foreach (string capture in Libpcap.Captures)
            {
                PcapFile file = Libpcap.ReadCapture(capture);
                if (file.LinkType == 1) sources.AddRange(file.Records.Where(r => r.Data.Length <= 1600));
            }
            var records = new List<PcapRecord>();
            foreach (PcapRecord source in sources)
            {
                byte[] data = source.Data;
                records.Add(new PcapRecord(data, source.WireLength));
                records.Add(Truncate(data, random.Next(0, Math.Min(data.Length, 80)), source.WireLength));
                records.Add(Tag(data, random.Next(2) == 0 ? (ushort)0x8100 : (ushort)0x88a8, random));
                byte[] flipped = (byte[])data.Clone();
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    int at = random.Next(0, Math.Min(flipped.Length, 64));
                    flipped[at] ^= (byte)(1 << random.Next(8));
                }
                records.Add(new PcapRecord(flipped, (uint)flipped.Length));
                if (data.Length > 20)
                {
                    byte[] header = (byte[])data.Clone();
                    header[14] = (byte)((header[14] & 0xF0) | random.Next(16));
                    header[20] = (byte)random.Next(256);
                    records.Add(new PcapRecord(header, (uint)header.Length + (uint)random.Next(0, 3)));
                }
            }
            for (int i = 0; i < 20; i++) records.Add(new PcapRecord(Arp(random, i % 2 == 0), 42));
            byte[] broadcast = (byte[])sources[0].Data.Clone();
            for (int i = 0; i < 6; i++) broadcast[i] = 0xFF;
            records.Add(new PcapRecord(broadcast, (uint)broadcast.Length));
            records.Add(new PcapRecord(new byte[0], 60));
            // Same seed, same bytes: write beside and rename, so concurrent runs share one file.
            string path = System.IO.Path.Combine(Libpcap.Scratch, "synthetic.pcap");
            string partial = path + "." + Environment.ProcessId;
            PcapFile.Write(partial, 1, records);
            File.Move(partial, path, overwrite: true);
            return path;
        }

        private static PcapRecord Truncate(byte[] data, int length, uint wireLength) => new PcapRecord(data.Take(length).ToArray(), wireLength);

        private static PcapRecord Tag(byte[] data, ushort type, Random random)
        {
            if (data.Length < 14) return new PcapRecord(data, (uint)data.Length);
            var tagged = new List<byte>(data.Take(12)) { (byte)(type >> 8), (byte)type, (byte)random.Next(16), (byte)random.Next(256) };
            tagged.AddRange(data.Skip(12));
            return new PcapRecord(tagged.ToArray(), (uint)tagged.Count);
        }

        private static byte[] Arp(Random random, bool request)
        {
            var frame = new byte[42];
            random.NextBytes(frame);
            if (request) for (int i = 0; i < 6; i++) frame[i] = 0xFF;
            frame[12] = 0x08; frame[13] = 0x06;
            frame[14] = 0; frame[15] = 1; frame[16] = 8; frame[17] = 0; frame[18] = 6; frame[19] = 4;
            frame[20] = 0; frame[21] = (byte)(request ? 1 : 2);
            frame[28] = 192; frame[29] = 168; frame[30] = 43; frame[31] = 1;
            return frame;
        }
    }
}
