// UdfRun's in-and-out argument: where the emitted records go and how many fit (in), then how
// many the UDF emitted and the value it returned (out). Count above Capacity means the records
// past Capacity were dropped (the count is still exact).
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct UdfOutput
    {
        /// <summary>In: address of Capacity UdfRecords in the caller's memory (may be 0 when Capacity is 0).</summary>
        public ulong Records;
        /// <summary>In: at most ExecutiveLimits.MaxUdfRecords.</summary>
        public ulong Capacity;
        /// <summary>Out: records emitted by the run.</summary>
        public ulong Count;
        /// <summary>Out: the program's return value.</summary>
        public ulong Value;
    }
}
