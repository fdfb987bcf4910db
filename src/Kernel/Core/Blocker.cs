// Why an environment waits on a subsystem beside Core (a wakeup predicate, a disk transfer):
// the subsystem sets Environment.BlockedOn and clears it when the wait ends; the scheduler asks
// the blocker at the environment's turn and never needs to know which subsystem it belongs to.
// Called with interrupts off, from the timer path too: implementations must not allocate.
namespace ExoSharp.Kernel.Core;

internal abstract class Blocker
{
    /// <summary>The EnvRecord status bit published while an environment waits on this.</summary>
    public abstract ulong StatusBit { get; }

    /// <summary>The environment's turn came: true if it may run now (the blocker then
    /// cleared BlockedOn and set the call's result).</summary>
    public abstract bool TryWake(Environment env);

    /// <summary>Could the wait end without another environment running (time passing, a
    /// device interrupt)? Then the scheduler idles instead of ending environments.</summary>
    public abstract bool MayWakeAlone(Environment env);

    /// <summary>EnvTable.DestroyAll's reason when nobody can run: "its ... can never ...".</summary>
    public abstract string Stuck { get; }
}
