// Cheetah's file cache (HttpConfig.FileCacheBytes; 0 switches it off for the benchmark): the
// bodies of recently served files kept in the server's own memory, found by the request's
// resolved path, so a request for a cached file makes no file-system call: no lookup, no read.
// An entry is trusted for the second (HttpServer.Now) in which it was made or last checked;
// in a later second the next request for it looks the file up again and keeps the entry only if
// the file's identity, size and modification time are unchanged (so a change shows within a
// second, as nginx's open_file_cache with a 1 s validity). Bodies live in one arena allocated at
// construction and handed out in order; when it is full, every entry is dropped and the arena
// starts again (Generation counts the restarts, so a response still sending from an old body
// falls back to reading the file). Entries are direct-mapped by a hash of the path; files over
// a quarter of the arena and generated files are not kept. Nothing is allocated per request.
// Precomputed checksums: each body starts at a multiple of 64 bytes of the arena, and for every
// 64 bytes the running Internet-checksum sum of the body up to there is kept (an eighth of the
// arena's size), so the sum of any range of a body is a difference of two running sums plus at
// most 63 bytes read at each end (Sum, the stack's IChecksumSource): the stack checksums a
// segment of a cached file without reading the file's bytes again.
using ExoSharp.LibOS.Net;

namespace ExoSharp.Apps.Cheetah.Http
{
    public sealed unsafe class FileCache : IChecksumSource
    {
        public const int Slots = 128, MaxPath = 256;
        private const int Granule = 64;
        private readonly byte[] _arena;
        private readonly ulong[] _sums;         // _sums[at / Granule + k]: a body's bytes [0, 64 (k + 1)) summed (Checksum.SumLittle, unfolded)
        private int _used;
        private readonly byte[] _paths = new byte[Slots * MaxPath];
        private readonly int[] _pathLength = new int[Slots], _at = new int[Slots];
        private readonly ulong[] _checked = new ulong[Slots];
        private readonly SiteFile[] _files = new SiteFile[Slots];
        private readonly bool[] _valid = new bool[Slots];

        /// <summary>Times the arena was emptied; bodies handed out before carry the old value.</summary>
        public long Generation { get; private set; }
        public long Hits, Fills, Checks;

        public FileCache(int bytes)
        {
            _arena = new byte[bytes];
            _sums = new ulong[bytes / Granule + 1];
        }

        public const int Cached = 1, NotCached = 0, Missing = -1, NotTried = -2;

        /// <summary>The site's file at path (a resolved path), through the cache: Cached with file,
        /// at (the body's offset in the arena) and generation; NotCached with file as the site's
        /// Lookup gave it (a directory, a generated file, one too large or unreadable); Missing
        /// when the site has no such path; NotTried for a path too long to key (the caller looks
        /// it up itself). now: the server's second.</summary>
        public int Find(ISite site, byte* path, int length, ulong now, out SiteFile file, out int at, out long generation)
        {
            file = default;
            at = 0;
            generation = Generation;
            if (length > MaxPath) return NotTried;
            int slot = Slot(path, length);
            fixed (byte* paths = _paths)
            {
                byte* key = paths + slot * MaxPath;
                bool same = _valid[slot] && _pathLength[slot] == length && Equal(key, path, length);
                if (same && _checked[slot] == now)
                {
                    Hits++;
                    file = _files[slot];
                    at = _at[slot];
                    return Cached;
                }
                if (!site.Lookup(path, length, out SiteFile found)) return Missing;
                file = found;
                if (found.Directory || found.Generated) return NotCached;
                if (same && found.Id == _files[slot].Id && found.Size == _files[slot].Size && found.Modified == _files[slot].Modified)
                {
                    Checks++;
                    _checked[slot] = now;
                    _files[slot] = found;
                    at = _at[slot];
                    return Cached;
                }
                _valid[slot] = false;
                if (found.Size > (ulong)(_arena.Length / 4)) return NotCached;
                int size = (int)found.Size, reserved = (size + Granule - 1) & ~(Granule - 1);
                if (_used + reserved > _arena.Length)
                {
                    for (int k = 0; k < Slots; k++) _valid[k] = false;
                    _used = 0;
                    Generation++;
                }
                fixed (byte* arena = _arena)
                {
                    int got = 0;
                    while (got < size)
                    {
                        long n = site.Read(ref found, (ulong)got, arena + _used + got, size - got);
                        if (n <= 0) return NotCached;
                        got += (int)n;
                    }
                    ulong run = 0;
                    for (int k = 0; k * Granule < size; k++)
                    {
                        run += Checksum.SumLittle(arena + _used + k * Granule, (uint)(size - k * Granule < Granule ? size - k * Granule : Granule));
                        _sums[_used / Granule + k] = run;
                    }
                }
                System.Buffer.MemoryCopy(path, key, MaxPath, length);
                _pathLength[slot] = length;
                _files[slot] = found;
                _at[slot] = _used;
                _checked[slot] = now;
                _valid[slot] = true;
                _used += reserved;
                Fills++;
                at = _at[slot];
                generation = Generation;
                return Cached;
            }
        }

        /// <summary>Copies count bytes of the body at at (from Find), from offset, into into:
        /// false if the arena has been emptied since generation (the caller reads the file).</summary>
        public bool Read(int at, long generation, ulong offset, byte* into, int count)
        {
            if (generation != Generation) return false;
            fixed (byte* arena = _arena) System.Buffer.MemoryCopy(arena + at + (int)offset, into, count, count);
            return true;
        }

        /// <summary>The tag that names a body at at (from Find) of generation for Sum.</summary>
        public static long Tag(int at, long generation) => generation << 32 | (uint)at;

        /// <summary>IChecksumSource: Checksum.Sum of length bytes from offset of the body tag names,
        /// from the running sums; false if the arena has been emptied since (or the range is not
        /// the arena's).</summary>
        public bool Sum(long tag, ulong offset, uint length, out ulong sum)
        {
            sum = 0;
            if ((tag >> 32) != Generation) return false;
            uint at = (uint)tag;
            ulong end = offset + length;
            if (at % Granule != 0 || at + end > (ulong)_arena.Length) return false;
            fixed (byte* arena = _arena)
            fixed (ulong* sums = _sums)
            {
                byte* body = arena + at;
                ulong* run = sums + at / Granule;
                ulong first = (offset + Granule - 1) / Granule, last = end / Granule;    // whole granules [first, last)
                ulong raw;
                if (first >= last) raw = Aligned(body, offset, length);
                else raw = run[last - 1] - (first > 0 ? run[first - 1] : 0) +
                           Aligned(body, offset, (uint)(first * Granule - offset)) + Aligned(body, last * Granule, (uint)(end - last * Granule));
                // raw pairs the bytes as the body does (from an even offset); a range from an odd
                // offset starts its own words a byte later: its sum is raw's bytes exchanged.
                while ((raw >> 16) != 0) raw = (raw & 0xFFFF) + (raw >> 16);
                sum = (offset & 1) == 0 ? Checksum.Swap(raw) : raw;
                return true;
            }
        }

        /// <summary>The body's bytes [offset, offset + length) summed in the body's own pairing
        /// (little-endian words from even offsets).</summary>
        private static ulong Aligned(byte* body, ulong offset, uint length)
        {
            if (length == 0) return 0;
            if ((offset & 1) == 0) return Checksum.SumLittle(body + offset, length);
            return ((ulong)body[offset] << 8) + Checksum.SumLittle(body + offset + 1, length - 1);
        }

        private static int Slot(byte* path, int length)
        {
            ulong h = 14695981039346656037UL;
            for (int k = 0; k < length; k++) h = (h ^ path[k]) * 1099511628211UL;
            return (int)(h >> 57);
        }

        private static bool Equal(byte* a, byte* b, int length)
        {
            for (int k = 0; k < length; k++) if (a[k] != b[k]) return false;
            return true;
        }
    }
}
