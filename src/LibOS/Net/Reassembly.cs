// IPv4 fragment reassembly (RFC 791, with RFC 5722's rule applied to IPv4): a fixed number of
// datagrams at once, each at most ReassemblyMax bytes; a fragment that overlaps bytes already
// received discards the whole datagram (overlaps are how filters and IDSs are evaded); a
// datagram not complete within the timeout is dropped. No slot free: the fragment is dropped.
namespace ExoSharp.LibOS.Net
{
    public sealed unsafe class Reassembly
    {
        private readonly ReassemblySlot[] _slots;
        private readonly uint _max;
        private readonly long _timeout;
        private readonly NetCounters _counters;

        public Reassembly(int slots, uint max, long timeout, Arena arena, NetCounters counters)
        {
            _slots = new ReassemblySlot[slots];
            _max = max;
            _timeout = timeout;
            _counters = counters;
            for (int i = 0; i < slots; i++)
            {
                _slots[i].Data = arena.Take(max + 8);
                _slots[i].Units = (ulong*)arena.Take((max / 8 + 64) / 8 + 8);
            }
        }

        public int InUse
        {
            get
            {
                int n = 0;
                foreach (var s in _slots) if (s.Used) n++;
                return n;
            }
        }

        /// <summary>Adds one fragment (payload at data, offset in bytes, more: the MF bit). When it
        /// completes its datagram: true with the whole payload (valid until the next call).</summary>
        public bool Add(uint source, uint destination, byte protocol, ushort id, uint offset, bool more,
                        byte* data, uint length, long now, out byte* payload, out uint total)
        {
            payload = null;
            total = 0;
            _counters.FragmentsIn++;
            if ((more && (length & 7) != 0) || length == 0 || offset + length > _max)
            {
                _counters.FragmentTooBig++;
                return false;
            }
            int s = -1, free = -1;
            for (int i = 0; i < _slots.Length; i++)
            {
                ref ReassemblySlot r = ref _slots[i];
                if (r.Used && r.Expires <= now)
                {
                    r.Used = false;
                    _counters.FragmentTimeouts++;
                }
                if (!r.Used) { if (free < 0) free = i; continue; }
                if (r.Source == source && r.Destination == destination && r.Protocol == protocol && r.Id == id) s = i;
            }
            if (s < 0)
            {
                if (free < 0)
                {
                    _counters.FragmentNoSlot++;
                    return false;
                }
                s = free;
                ref ReassemblySlot n = ref _slots[s];
                n.Used = true;
                n.Source = source;
                n.Destination = destination;
                n.Protocol = protocol;
                n.Id = id;
                n.Total = 0;
                n.Received = 0;
                n.Expires = now + _timeout;
                Wire.Zero((byte*)n.Units, (_max / 8 + 64) / 8);
            }
            ref ReassemblySlot slot = ref _slots[s];
            uint end = offset + length;
            if ((!more && (slot.Total != 0 || end < MaxUnitEnd(ref slot))) || (slot.Total != 0 && end > slot.Total))
            {
                Discard(ref slot);      // a second last fragment, or data past the end
                return false;
            }
            uint firstUnit = offset / 8, lastUnit = (end + 7) / 8;
            for (uint u = firstUnit; u < lastUnit; u++)
            {
                if ((slot.Units[u >> 6] & (1UL << (int)(u & 63))) != 0)
                {
                    Discard(ref slot);
                    return false;
                }
            }
            for (uint u = firstUnit; u < lastUnit; u++) slot.Units[u >> 6] |= 1UL << (int)(u & 63);
            Wire.Copy(slot.Data + offset, data, length);
            slot.Received += length;
            if (!more) slot.Total = end;
            if (slot.Total == 0 || slot.Received != slot.Total) return false;
            slot.Used = false;
            _counters.Reassembled++;
            payload = slot.Data;
            total = slot.Total;
            return true;
        }

        /// <summary>Drops datagrams whose time is up.</summary>
        public void Expire(long now)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].Used && _slots[i].Expires <= now)
                {
                    _slots[i].Used = false;
                    _counters.FragmentTimeouts++;
                }
            }
        }

        private void Discard(ref ReassemblySlot slot)
        {
            slot.Used = false;
            _counters.FragmentOverlaps++;
        }

        // One past the highest 8-byte unit received, in bytes (a last fragment must not end before it).
        private uint MaxUnitEnd(ref ReassemblySlot slot)
        {
            uint words = (_max / 8 + 63) / 64;
            for (uint w = words; w-- > 0;)
            {
                ulong bits = slot.Units[w];
                if (bits == 0) continue;
                int top = 63;
                while ((bits & (1UL << top)) == 0) top--;
                return (w * 64 + (uint)top + 1) * 8;
            }
            return 0;
        }
    }
}
