// The per-type cell ILCompiler places before a type's non-GC statics: the cctor's address,
// cleared once it has run.
namespace System.Runtime.CompilerServices
{
    public struct StaticClassConstructionContext
    {
        public nint cctorMethodAddress;
    }
}
