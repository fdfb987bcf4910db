// What unwinding needs about one pc, decoded once from .eh_frame and the LSDA and kept in
// Unwinder's cache: the method (main body start, EH info) and the CFA rule with where the
// return address and the callee-saved registers were saved (offsets from the CFA).
namespace Internal.Runtime
{
    internal unsafe struct UnwindRow
    {
        public const int SavedReturn = 1, SavedRbx = 2, SavedRbp = 4, SavedR12 = 8;

        public ulong Pc;
        public ulong MethodStart;
        public byte* EHInfo;
        /// <summary>False when the call-frame program is beyond this unwinder (the walk ends).</summary>
        public bool Unwindable;
        public int CfaRegister;
        public long CfaOffset;
        /// <summary>Saved* bits; SavedR12 &lt;&lt; k for r12 + k.</summary>
        public int SavedMask;
        public long ReturnOffset, RbxOffset, RbpOffset, R12Offset, R13Offset, R14Offset, R15Offset;
    }
}
