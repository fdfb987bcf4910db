// Response headers precomputed per file (one of Cheetah's techniques; HttpConfig.PrecomputedHeads
// switches it off for the benchmark): for each recently served file, its ETag and the part of a
// 200 response's head that depends only on the file (Last-Modified, ETag, Accept-Ranges,
// Content-Type, Content-Length), formatted once and copied afterwards; and the head's first
// lines (status line, Date, Server), formatted again only when the second changes. An entry is
// found by the file's identity, size and modification time, so a changed file (any of the three)
// gets a new entry; entries are direct-mapped (a collision replaces). Buffers are allocated at
// construction; nothing per request. Not thread-safe (one event loop, as the server).
namespace ExoSharp.Apps.Cheetah.Http
{
    public sealed unsafe class FileHeads
    {
        public const int Slots = 64, PartCapacity = 384, TagCapacity = 64;
        private readonly ulong[] _id = new ulong[Slots], _size = new ulong[Slots], _modified = new ulong[Slots];
        private readonly bool[] _valid = new bool[Slots];
        private readonly byte[] _parts = new byte[Slots * PartCapacity], _tags = new byte[Slots * TagCapacity];
        private readonly int[] _partLength = new int[Slots], _tagLength = new int[Slots];
        private readonly byte[] _prefix = new byte[128];
        private int _prefixLength;
        private ulong _prefixOf = ulong.MaxValue;

        /// <summary>Lookups answered from an entry, and entries (re)made.</summary>
        public long Hits, Made;

        /// <summary>The entry for file, whose resolved path is path[0..pathLength) (made now if there
        /// is none, with the file's media type or the path's): its slot. -1 when the part would not
        /// fit (the caller formats the head itself).</summary>
        public int Find(ref SiteFile file, byte* path, int pathLength)
        {
            int slot = (int)((file.Id * 0x9E37_79B9_7F4A_7C15UL) >> 58);
            if (_valid[slot] && _id[slot] == file.Id && _size[slot] == file.Size && _modified[slot] == file.Modified)
            {
                Hits++;
                return slot;
            }
            _valid[slot] = false;
            fixed (byte* tags = _tags, parts = _parts)
            {
                byte* tag = tags + slot * TagCapacity;
                var t = new AsciiWriter(tag, TagCapacity);
                WriteTag(ref t, ref file);
                var w = new AsciiWriter(parts + slot * PartCapacity, PartCapacity);
                w.Text("Last-Modified: ");
                HttpDate.Format(file.Modified, ref w);
                w.Text("\r\nETag: ");
                w.Bytes(tag, t.Length);
                w.Text("\r\nAccept-Ranges: bytes\r\nContent-Type: ");
                w.Text(file.ContentType ?? MimeTypes.Of(path, pathLength));
                w.Text("\r\nContent-Length: ");
                w.Decimal(file.Size);
                w.Text("\r\n");
                if (w.Overflow || t.Overflow) return -1;
                _tagLength[slot] = t.Length;
                _partLength[slot] = w.Length;
            }
            _id[slot] = file.Id; _size[slot] = file.Size; _modified[slot] = file.Modified;
            _valid[slot] = true;
            Made++;
            return slot;
        }

        /// <summary>The strong validator: "inode-size-mtime" in hex.</summary>
        public static void WriteTag(ref AsciiWriter t, ref SiteFile file)
        {
            t.Byte((byte)'"'); t.Hex(file.Id); t.Byte((byte)'-'); t.Hex(file.Size); t.Byte((byte)'-'); t.Hex(file.Modified); t.Byte((byte)'"');
        }

        /// <summary>Copies slot's ETag (quotes included) to into (TagCapacity bytes): its length.</summary>
        public int Tag(int slot, byte* into)
        {
            fixed (byte* tags = _tags) System.Buffer.MemoryCopy(tags + slot * TagCapacity, into, TagCapacity, _tagLength[slot]);
            return _tagLength[slot];
        }

        /// <summary>Appends a 200 response's head up to the connection fields: the status line,
        /// Date (server.Now), Server, then slot's part.</summary>
        public void Write200(ref AsciiWriter w, HttpServer server, int slot)
        {
            fixed (byte* prefix = _prefix, parts = _parts)
            {
                if (_prefixOf != server.Now)
                {
                    var p = new AsciiWriter(prefix, _prefix.Length);
                    p.Text("HTTP/1.1 200 OK\r\n");
                    server.WriteDate(ref p);
                    p.Text("Server: " + HttpServer.Name + "\r\n");
                    _prefixLength = p.Length;
                    _prefixOf = server.Now;
                }
                w.Bytes(prefix, _prefixLength);
                w.Bytes(parts + slot * PartCapacity, _partLength[slot]);
            }
        }
    }
}
