// What the kernel found when it checked a downloaded program (FilterInstall, XnTemplate,
// PredicateWait take an optional pointer to one): the verifier's rule and instruction index
// when it refused the program, the other filter when the overlap rule did, and the bounds the
// verifier proved when it accepted. Written whenever the pointer is non-zero.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct ProgramReport
    {
        /// <summary>A ProgramRule: None when the verifier accepted the program.</summary>
        public uint Rule;
        /// <summary>The instruction that broke Rule; -1 for whole-program rules (empty, too long) and on acceptance.</summary>
        public int Index;
        /// <summary>Error.Overlap: the other owner's filter, and that owner's environment id; else 0.</summary>
        public uint ConflictFilter;
        public uint ConflictOwner;
        /// <summary>Accepted: the most instructions any run executes, the most records it can emit,
        /// and the context bytes it reads.</summary>
        public uint MaxSteps;
        public uint MaxEmits;
        public uint ContextLength;
        /// <summary>FilterInstall: the new filter's id (what PacketSlot.FilterId and FilterMatch name it by).</summary>
        public uint FilterId;
    }
}
