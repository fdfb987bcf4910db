// One clause of a method's EH info as ILCompiler writes it (RUNTIME-FACTS.md, "EH info"):
// offsets from the main body's start; Kind 0 typed catch, 1 fault/finally, 2 filter.
namespace Internal.Runtime
{
    internal unsafe struct EHClause
    {
        public const uint KindTyped = 0, KindFault = 1, KindFilter = 2;
        public uint TryStart, TryEnd, Kind;
        public ulong Handler, Filter;
        public MethodTable* Type;
    }
}
