// The bounds on downloaded programs and their arguments (FilterInstall, FilterClassify,
// PredicateWait, XnTemplate). A count or length past one of these gets BadLength
// (program lengths past MaxProgram, a packet filter past MaxFilterProgram) or a refusal (ProgramRule.TooLong for a predicate longer
// than MaxPredicate); a table past its limit gets TableFull. docs/abi.md explains each.
namespace ExoSharp.Abi
{
    public static class ExecutiveLimits
    {
        /// <summary>Most instructions in any program (the verifier's own limit).</summary>
        public const int MaxProgram = 4096;

        /// <summary>Most instructions in a packet filter (libpcap's are tens): FilterInstall verifies
        /// and analyses it in one call, about 250 guest instructions per instruction, so this bounds
        /// the call (the merged program, compiled in slices, may still reach MaxProgram).</summary>
        public const int MaxFilterProgram = 512;

        /// <summary>Most instructions in a wakeup predicate: the scheduler runs it at every turn.</summary>
        public const int MaxPredicate = 256;

        /// <summary>Most memory words a wakeup predicate may name.</summary>
        public const int MaxPredicateWords = 8;

        /// <summary>Longest packet FilterClassify accepts, in bytes.</summary>
        public const int MaxPacket = 65535;

        /// <summary>Filters one environment may hold.</summary>
        public const int MaxFiltersPerEnv = 64;
    }
}
