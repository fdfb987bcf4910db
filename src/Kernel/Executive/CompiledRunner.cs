// The kernel's IFilterRunner: FilterSet.Classify through compiled code. The merged program is
// compiled once per FilterSet.Version and each filter that runs alone once per id, in Refresh,
// which the install and remove calls run after changing the set; Classify itself allocates
// nothing. A program the compiler cannot take runs in the interpreter (UsedInterpreter says so).
using System;
using ExoSharp.Executive.Demux;
using ExoSharp.Executive.Engines;

namespace ExoSharp.Kernel.Executive
{
    internal sealed unsafe class CompiledRunner : IFilterRunner
    {
        private uint _version = uint.MaxValue;
        private NativeCode _merged;
        private readonly uint[] _aloneIds = new uint[FilterSet.MaxFilters];
        private readonly NativeCode[] _aloneCode = new NativeCode[FilterSet.MaxFilters];
        private int _aloneCount;

        /// <summary>Set when a classification ran a program in the interpreter; the caller clears it.</summary>
        public bool UsedInterpreter;

        /// <summary>Recompiles what changed: the merged program when the version moved, lone
        /// filters that are new; frees the code of filters that left.</summary>
        public void Refresh(FilterSet set)
        {
            if (set.Version != _version || !_merged.IsValid)
            {
                _merged.Free();
                _merged = NativeCode.Compile(set.MergedProgram);
                _version = set.Version;
            }
            ReadOnlySpan<FilterEntry> alone = set.Alone;
            for (int i = 0; i < _aloneCount;)
            {
                if (Contains(alone, _aloneIds[i]))
                {
                    i++;
                    continue;
                }
                _aloneCode[i].Free();
                _aloneCount--;
                _aloneIds[i] = _aloneIds[_aloneCount];
                _aloneCode[i] = _aloneCode[_aloneCount];
                _aloneCode[_aloneCount] = default;
            }
            for (int i = 0; i < alone.Length; i++)
            {
                if (Find(alone[i].Id) >= 0 || _aloneCount == _aloneIds.Length) continue;
                _aloneIds[_aloneCount] = alone[i].Id;
                _aloneCode[_aloneCount] = NativeCode.Compile(alone[i].Program);
                _aloneCount++;
            }
        }

        public uint RunMerged(FilterSet set, byte* packet, uint length, uint wireLength)
        {
            if (_merged.IsValid && set.Version == _version) return _merged.Run(packet, length, wireLength, null);
            UsedInterpreter = true;
            return Interpreter.Run(set.MergedProgram, packet, length, wireLength, null);
        }

        public uint RunFilter(FilterEntry filter, byte* packet, uint length, uint wireLength)
        {
            int at = Find(filter.Id);
            if (at >= 0 && _aloneCode[at].IsValid) return _aloneCode[at].Run(packet, length, wireLength, null);
            UsedInterpreter = true;
            return Interpreter.Run(filter.Program, packet, length, wireLength, null);
        }

        /// <summary>Bytes of compiled code held (merged program and lone filters).</summary>
        public int CodeBytes
        {
            get
            {
                int total = _merged.Length;
                for (int i = 0; i < _aloneCount; i++) total += _aloneCode[i].Length;
                return total;
            }
        }

        private int Find(uint id)
        {
            for (int i = 0; i < _aloneCount; i++)
                if (_aloneIds[i] == id) return i;
            return -1;
        }

        private static bool Contains(ReadOnlySpan<FilterEntry> filters, uint id)
        {
            for (int i = 0; i < filters.Length; i++)
                if (filters[i].Id == id) return true;
            return false;
        }
    }
}
