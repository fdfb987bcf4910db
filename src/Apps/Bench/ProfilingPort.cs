// C-FFS's seam onto XN (IXnPort) with every call counted and timed, for `fsbench profile ...`:
// which XN calls a file-system operation makes, how often, and how many time-stamp counter ticks
// (guest instructions under -icount shift=0) each kind takes, system call included. Wraps the
// guest's port; prints one "fsbench: profile" line per kind used since the last Reset.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.Apps.Bench
{
    internal sealed unsafe class ProfilingPort : IXnPort
    {
        private const int Kinds = 12;
        private static readonly string[] s_names = { "alloc", "free", "move", "write", "read", "fetch", "evict", "sync", "reclaim", "write-data", "fetchrun", "other" };
        private const int KAlloc = 0, KFree = 1, KMove = 2, KWrite = 3, KRead = 4, KFetch = 5, KEvict = 6, KSync = 7, KReclaim = 8, KWriteData = 9, KFetchRun = 10, KOther = 11;
        private readonly IXnPort _inner;
        private readonly ulong[] _calls = new ulong[Kinds], _ticks = new ulong[Kinds], _bytes = new ulong[Kinds];
        private ulong _start;

        public ProfilingPort(IXnPort inner) { _inner = inner; }

        private void Begin() => _start = Benchmarks.Tsc();

        private long End(int kind, long result, int bytes = 0)
        {
            _ticks[kind] += Benchmarks.Tsc() - _start;
            _calls[kind]++;
            _bytes[kind] += (ulong)bytes;
            return result;
        }

        public void Reset()
        {
            for (int i = 0; i < Kinds; i++) _calls[i] = _ticks[i] = _bytes[i] = 0;
        }

        /// <summary>Per operation: calls, ticks and bytes of each kind divided by operations.</summary>
        public void Print(string phase, ulong operations)
        {
            if (operations == 0) operations = 1;
            for (int i = 0; i < Kinds; i++)
                if (_calls[i] != 0)
                    System.Console.WriteLine("fsbench: profile " + phase + " " + s_names[i] + " calls=" + _calls[i].ToString() +
                                             " per_op=" + (_calls[i] * 100 / operations).ToString() + "/100 ticks_per_op=" + (_ticks[i] / operations).ToString() +
                                             " bytes_per_op=" + (_bytes[i] / operations).ToString());
        }

        public uint BlockCount => _inner.BlockCount;
        public uint FirstBlock => _inner.FirstBlock;
        public uint NextTemplateType() => _inner.NextTemplateType();
        public long RegisterTemplate(ProgramInstruction* program, int count) => _inner.RegisterTemplate(program, count);
        public long OpenRoot(byte* name, int length, ulong key) => _inner.OpenRoot(name, length, key);
        public long CreateRoot(byte* name, int length, ulong key, uint block, uint type) => _inner.CreateRoot(name, length, key, block, type);
        public long Alloc(uint parent, int offset, byte* bytes, int length, uint first, uint count, uint type) { Begin(); return End(KAlloc, _inner.Alloc(parent, offset, bytes, length, first, count, type), length); }
        public long Free(uint parent, int offset, byte* bytes, int length, uint first, uint count) { Begin(); return End(KFree, _inner.Free(parent, offset, bytes, length, first, count), length); }
        public long Move(uint from, int fromOffset, byte* fromBytes, int fromLength, uint to, int toOffset, byte* toBytes, int toLength) { Begin(); return End(KMove, _inner.Move(from, fromOffset, fromBytes, fromLength, to, toOffset, toBytes, toLength)); }
        public long Write(uint block, int offset, byte* bytes, int length)
        {
            int kind = _inner.TypeOf(block) == 0 ? KWriteData : KWrite;
            Begin();
            return End(kind, _inner.Write(block, offset, bytes, length), length);
        }
        public long Read(uint block, int offset, byte* into, int length) { Begin(); return End(KRead, _inner.Read(block, offset, into, length), length); }
        public long Fetch(uint block) { bool inCore = _inner.InCore(block); Begin(); return End(inCore ? KOther : KFetch, _inner.Fetch(block)); }
        public long FetchRun(uint first, uint count) { Begin(); return End(KFetchRun, _inner.FetchRun(first, count), (int)count); }
        public long Evict(uint block) { Begin(); return End(KEvict, _inner.Evict(block)); }
        public long Sync() { Begin(); return End(KSync, _inner.Sync()); }
        public long Reclaim() { Begin(); return End(KReclaim, _inner.Reclaim()); }
        public bool IsFree(uint block) => _inner.IsFree(block);
        public bool InCore(uint block) => _inner.InCore(block);
        public uint TypeOf(uint block) => _inner.TypeOf(block);
        public ulong Epoch => _inner.Epoch;
        public ulong Now() => _inner.Now();
    }
}
