// Which engine ran the filters for FilterMatch.Engine: every program that ran was compiled
// x86-64 code (Native), or at least one went through the interpreter (Interpreter). The bench
// build of the kernel (not the ABI) also takes it as FilterClassify's engine argument.
namespace ExoSharp.Abi
{
    public static class FilterEngine
    {
        public const ulong Native = 1;
        public const ulong Interpreter = 2;
    }
}
