// Recorded TCP conversations from real captures (tools/captures.sh: pcap files from Debian
// packages, fetched with apt-get download and never committed): the classic pcap format on
// Ethernet, each TCP segment of one conversation with its direction, numbers, options and
// data, for TraceTests to replay one side of against the stack.
using System.Diagnostics;

namespace ExoSharp.Tests.Net
{
    public sealed class Trace
    {
        public sealed class Segment
        {
            public bool FromClient;
            public uint Seq, Ack;
            public byte Flags;
            public ushort Window;
            public byte[] Options, Data;
        }

        public readonly List<Segment> Segments = new List<Segment>();

        /// <summary>The capture named file (a path's last part) from tools/captures.sh.</summary>
        public static string Capture(string file)
        {
            string directory = AppContext.BaseDirectory;
            while (directory != null && !File.Exists(Path.Combine(directory, "tools", "captures.sh"))) directory = Path.GetDirectoryName(directory);
            Assert.True(directory != null, "tools/captures.sh not found above " + AppContext.BaseDirectory);
            var start = new ProcessStartInfo("bash", Path.Combine(directory, "tools", "captures.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start);
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "tools/captures.sh failed: " + error);
            string path = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => Path.GetFileName(p) == file);
            Assert.True(path != null, file + " is not among the captures");
            return path;
        }

        /// <summary>The TCP segments between client port clientPort and server port serverPort.</summary>
        public static Trace Read(string path, ushort clientPort, ushort serverPort)
        {
            byte[] d = File.ReadAllBytes(path);
            Assert.Equal(0xA1B2C3D4u, BitConverter.ToUInt32(d, 0));
            Assert.Equal(1u, BitConverter.ToUInt32(d, 20));                 // Ethernet
            var trace = new Trace();
            for (int at = 24; at + 16 <= d.Length;)
            {
                int captured = (int)BitConverter.ToUInt32(d, at + 8);
                var f = d.AsSpan(at + 16, captured).ToArray();
                at += 16 + captured;
                if (f.Length < 54 || Frames.Get16(f, 12) != 0x0800 || f[23] != 6) continue;
                int ip = (f[14] & 15) * 4, total = Frames.Get16(f, 16), t = 14 + ip;
                ushort source = Frames.Get16(f, t), destination = Frames.Get16(f, t + 2);
                bool fromClient = source == clientPort && destination == serverPort;
                if (!fromClient && !(source == serverPort && destination == clientPort)) continue;
                int offset = (f[t + 12] >> 4) * 4;
                trace.Segments.Add(new Segment
                {
                    FromClient = fromClient,
                    Seq = Frames.Get32(f, t + 4),
                    Ack = Frames.Get32(f, t + 8),
                    Flags = (byte)(f[t + 13] & 0x3F),
                    Window = Frames.Get16(f, t + 14),
                    Options = f.AsSpan(t + 20, offset - 20).ToArray(),
                    Data = f.AsSpan(t + offset, 14 + total - t - offset).ToArray(),
                });
            }
            return trace;
        }

        /// <summary>One side's data stream, each byte once (retransmissions dropped), in sequence order.</summary>
        public byte[] Stream(bool client)
        {
            var bytes = new SortedDictionary<uint, byte>();
            uint isn = Segments.First(s => s.FromClient == client && (s.Flags & 2) != 0).Seq;
            foreach (var s in Segments.Where(s => s.FromClient == client))
                for (int i = 0; i < s.Data.Length; i++) bytes[s.Seq + (uint)i - isn] = s.Data[i];
            return bytes.Values.ToArray();
        }
    }
}
