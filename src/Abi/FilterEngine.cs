// Which engine ran the filters for FilterMatch.Engine: every program that ran was compiled
// x86-64 code (Native), or at least one went through the interpreter (Interpreter). Also
// FilterClassify's optional fourth argument: which engine to run (0 = Native).
namespace ExoSharp.Abi
{
    public static class FilterEngine
    {
        public const ulong Native = 1;
        public const ulong Interpreter = 2;
    }
}
