// The ARP cache (RFC 826): a fixed table; resolved entries expire after ArpLifetime, pending
// ones after a few unanswered requests. A full table evicts the entry that expires first.
// Each entry holds at most one frame while unresolved (newer frames replace it).
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe class ArpCache
    {
        private readonly ArpEntry[] _entries;
        private readonly long _lifetime;

        public ArpCache(int entries, long lifetime, Arena arena)
        {
            _entries = new ArpEntry[entries];
            _lifetime = lifetime;
            for (int i = 0; i < entries; i++) _entries[i].Held = arena.Take(1536);
        }

        public int Capacity => _entries.Length;

        /// <summary>The row for ip (-1 when absent or expired).</summary>
        public int Find(uint ip, long now)
        {
            for (int i = 0; i < _entries.Length; i++)
            {
                if (_entries[i].Ip != ip || ip == 0) continue;
                if (_entries[i].Expires <= now)
                {
                    _entries[i].Ip = 0;
                    return -1;
                }
                return i;
            }
            return -1;
        }

        public bool Lookup(uint ip, long now, out ulong mac)
        {
            int i = Find(ip, now);
            mac = i >= 0 && _entries[i].Resolved ? _entries[i].Mac : 0;
            return i >= 0 && _entries[i].Resolved;
        }

        /// <summary>Records ip at mac; with create false only an existing row is updated (RFC 826's
        /// merge). The row index, or -1.</summary>
        public int Update(uint ip, ulong mac, long now, bool create)
        {
            int i = Find(ip, now);
            if (i < 0)
            {
                if (!create) return -1;
                i = Victim(now);
                _entries[i].HeldLength = 0;
            }
            _entries[i].Ip = ip;
            _entries[i].Mac = mac;
            _entries[i].Resolved = true;
            _entries[i].Expires = now + _lifetime;
            return i;
        }

        /// <summary>A pending row for ip (made if absent); its index.</summary>
        public int Pending(uint ip, long now)
        {
            int i = Find(ip, now);
            if (i >= 0) return i;
            i = Victim(now);
            _entries[i] = new ArpEntry { Ip = ip, Held = _entries[i].Held, Expires = now + 3_000, LastRequest = long.MinValue / 2 };
            return i;
        }

        public ref ArpEntry Row(int i) => ref _entries[i];

        private int Victim(long now)
        {
            int best = 0;
            for (int i = 0; i < _entries.Length; i++)
            {
                if (_entries[i].Ip == 0 || _entries[i].Expires <= now) return i;
                if (_entries[i].Expires < _entries[best].Expires) best = i;
            }
            return best;
        }
    }
}
