// Walks a thread's managed frames for exception dispatch, from a thrower's context up. Each
// frame knows its method (main body start, EH info; funclets report their parent's). Coming
// out of a funclet into exceptions.asm's catch/finally caller, the walk continues at the frame
// that ran the funclet (its ExInfo), with that handler's clause and the ones before it out
// of play: a collided unwind. Coming out of a filter, the walk stops at a boundary frame: an
// exception never escapes a filter (it counts as false). Ends at the first frame without
// unwind data (the program's or thread's entry, an upcall).
namespace Internal.Runtime
{
    internal unsafe struct FrameIterator
    {
        public RegisterContext Context;
        public bool Valid;
        public bool AtFilterBoundary;
        public ulong MethodStart;
        public byte* EHInfo;
        public int SkipIndex;
        public uint SkipTryStart, SkipTryEnd;
        /// <summary>The dispatch whose catch funclet the walk last came out of, or null.</summary>
        public ExInfo* LeftCatch;
        private UnwindRow _row;
        private int _clause, _clauseCount;
        private bool _skippingSameTry;
        private byte* _clauseCursor;

        public static ulong CatchReturn, FinallyReturn, FilterReturn;
        /// <summary>Where exceptions.asm's helpers keep the ExInfo*, above their funclet's frame.</summary>
        public const ulong ExInfoSlot = 8;

        public void Init(RegisterContext* context)
        {
            Context = *context;
            SkipIndex = -1;
            LeftCatch = null;
            Resolve();
        }

        /// <summary>The code offset of this frame's rip within its method (a call's return
        /// address minus one, so the call itself).</summary>
        public uint Offset => (uint)(Context.Rip - 1 - MethodStart);

        private void Resolve()
        {
            AtFilterBoundary = Context.Rip == FilterReturn;
            EHInfo = null;
            if (AtFilterBoundary)
            {
                Valid = true;
                return;
            }
            Valid = Unwinder.Lookup(Context.Rip - 1, out _row);
            if (!Valid) return;
            MethodStart = _row.MethodStart;
            EHInfo = _row.EHInfo;
        }

        public void Next()
        {
            if (!Valid) return;
            if (AtFilterBoundary || !Unwinder.Step(ref _row, ref Context))
            {
                Valid = false;
                return;
            }
            SkipIndex = -1;
            if (Context.Rip == CatchReturn || Context.Rip == FinallyReturn)
            {
                ExInfo* info = *(ExInfo**)(Context.Rsp + ExInfoSlot);
                if (Context.Rip == CatchReturn) LeftCatch = info;
                Context = info->Frame;
                SkipIndex = info->ClauseIndex;
                SkipTryStart = info->TryStart;
                SkipTryEnd = info->TryEnd;
            }
            Resolve();
        }

        /// <summary>Starts over this frame's clauses.</summary>
        public void ResetClauses()
        {
            _clause = 0;
            _clauseCursor = EHInfo;
            _clauseCount = EHInfo == null ? 0 : (int)ReadUnsigned(ref _clauseCursor);
            _skippingSameTry = SkipIndex >= 0;
        }

        /// <summary>The next clause whose try range holds this frame's offset and that is in play.</summary>
        public bool NextClause(out EHClause clause, out int index)
        {
            uint offset = Offset;
            while (_clause < _clauseCount)
            {
                index = _clause++;
                ReadClause(ref _clauseCursor, out clause);
                if (index <= SkipIndex) continue;
                // After the running handler's clause, clauses of the same try (its other catches)
                // are out too, up to the first clause of another try: the compiler separates
                // nested trys that share native offsets with an empty marker clause.
                if (_skippingSameTry)
                {
                    if (clause.TryStart == SkipTryStart && clause.TryEnd == SkipTryEnd) continue;
                    _skippingSameTry = false;
                }
                if (offset >= clause.TryStart && offset < clause.TryEnd) return true;
            }
            clause = default;
            index = -1;
            return false;
        }

        private void ReadClause(ref byte* p, out EHClause clause)
        {
            clause = default;
            clause.TryStart = ReadUnsigned(ref p);
            uint lengthAndKind = ReadUnsigned(ref p);
            clause.Kind = lengthAndKind & 3;
            clause.TryEnd = clause.TryStart + (lengthAndKind >> 2);
            clause.Handler = MethodStart + ReadUnsigned(ref p);
            if (clause.Kind == EHClause.KindTyped)
            {
                clause.Type = (MethodTable*)(p + *(int*)p);
                p += 4;
            }
            else if (clause.Kind == EHClause.KindFilter)
            {
                clause.Filter = MethodStart + ReadUnsigned(ref p);
            }
        }

        // NativeAOT's VarInt: the low bits of the first byte give the length.
        private static uint ReadUnsigned(ref byte* p)
        {
            uint b = p[0];
            uint value;
            if ((b & 1) == 0) { value = b >> 1; p += 1; }
            else if ((b & 2) == 0) { value = (b >> 2) | ((uint)p[1] << 6); p += 2; }
            else if ((b & 4) == 0) { value = (b >> 3) | ((uint)p[1] << 5) | ((uint)p[2] << 13); p += 3; }
            else if ((b & 8) == 0) { value = (b >> 4) | ((uint)p[1] << 4) | ((uint)p[2] << 12) | ((uint)p[3] << 20); p += 4; }
            else { value = *(uint*)(p + 1); p += 5; }
            return value;
        }
    }
}
