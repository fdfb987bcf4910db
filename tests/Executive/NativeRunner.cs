// Test helper: an IFilterRunner that runs compiled x86-64 code, recompiling the merged program
// when the set's Version changes and each other filter once per id.
using ExoSharp.Executive.Demux;
using ExoSharp.Tools.FilterVerdicts;

namespace ExoSharp.Tests.Executive
{
    internal sealed unsafe class NativeRunner : IFilterRunner, IDisposable
    {
        private ExecutableCode _merged;
        private uint _version = uint.MaxValue;
        private readonly Dictionary<uint, ExecutableCode> _filters = new();

        public uint RunMerged(FilterSet set, byte* packet, uint length, uint wireLength)
        {
            if (_merged == null || _version != set.Version)
            {
                _merged?.Dispose();
                _merged = Both.Compile(set.MergedProgram);
                _version = set.Version;
            }
            return _merged.Run(packet, length, wireLength, null);
        }

        public uint RunFilter(FilterEntry filter, byte* packet, uint length, uint wireLength)
        {
            if (!_filters.TryGetValue(filter.Id, out ExecutableCode code))
            {
                code = Both.Compile(filter.Program);
                _filters[filter.Id] = code;
            }
            return code.Run(packet, length, wireLength, null);
        }

        public void Dispose()
        {
            _merged?.Dispose();
            foreach (ExecutableCode code in _filters.Values) code.Dispose();
        }
    }
}
