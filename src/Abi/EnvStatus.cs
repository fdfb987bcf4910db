// The states an environment can be put in with EnvSetStatus.
namespace ExoSharp.Abi
{
    public enum EnvStatus : ulong
    {
        /// <summary>Runs when one of its time slots comes up (or a yield names it).</summary>
        Runnable = 1,

        /// <summary>Never scheduled (the state of a child just made by EnvCreate).</summary>
        NotRunnable = 2,
    }
}
