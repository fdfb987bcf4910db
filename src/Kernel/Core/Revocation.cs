// Visible revocation of frames. Revoke asks an environment to give back a number of frames:
// at its next slice it gets an upcall (UpcallVector.Revoke, ErrorCode = how many) and has
// Capability.RevokeGraceTicks to drop that many frame capabilities. At the deadline, the
// abort protocol takes whatever is still missing by force (most recently acquired first),
// unmaps it, and lists each frame in the environment's RepossessionVector, with a line.
// Missing: revoking time slots; the kernel asking on its own when memory runs short.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Revocation
{
    private static int s_pending;

    public static long Request(Environment target, ulong frames)
    {
        if (target.Repossessed->Requested != 0) return (long)Error.BadArgument;
        if (frames == 0 || frames > (ulong)target.Capabilities.FrameCount) return (long)Error.BadArgument;
        target.Repossessed->Requested = frames;
        target.RevokeBaseline = target.Capabilities.FrameCount;
        target.RevokeDeadline = Pit.Ticks + Capability.RevokeGraceTicks;
        target.RevokeDelivered = false;
        s_pending++;
        return 0;
    }

    /// <summary>Whether env has a revocation it has not yet been told about.</summary>
    public static bool Undelivered(Environment env) => env.Repossessed->Requested != 0 && !env.RevokeDelivered;

    /// <summary>Every tick: enforce the deadlines that have passed.</summary>
    public static void Tick()
    {
        if (s_pending != 0) EnvTable.ForEach(&Enforce, null);
    }

    /// <summary>Frames taken by force in one tick at most: the work with interrupts off stays
    /// bounded (docs/abi.md, "Bounded kernel work"); the rest waits for the next ticks.</summary>
    public const int RepossessPerTick = 64;

    private static void Enforce(Environment env, Environment unused)
    {
        if (env.RepossessLeft == 0)
        {
            ulong requested = env.Repossessed->Requested;
            if (requested == 0 || Pit.Ticks < env.RevokeDeadline) return;
            int target = env.RevokeBaseline - (int)requested;
            int missing = env.Capabilities.FrameCount - target;
            env.Repossessed->Requested = 0;
            env.UpdateHold();
            if (missing <= 0)
            {
                s_pending--;
                return;
            }
            env.WriteLinePrefix();
            Console.Format("kept {} of the {} frames asked back: repossessed them (see its repossession vector)\n", (ulong)missing, (ulong)requested);
            env.RepossessLeft = missing;
            env.RepossessBelow = int.MaxValue;
            EnvTable.Publish(env);
        }
        // One walk down the table over the ticks; each frame costs its own mappings (the reverse
        // map), RepossessPerTick frames and Capability.UnmapPerCall mappings a tick at most: a
        // frame mapped more often than that is finished on the next tick.
        int budget = (int)Capability.UnmapPerCall;
        for (int i = 0; i < RepossessPerTick && env.RepossessLeft > 0; i++)
        {
            CapabilitySlot* slot = env.Capabilities.LastFrame(env.RepossessBelow, out int index);
            if (slot == null)
            {
                env.RepossessLeft = 0;
                break;
            }
            ulong frame = slot->Object;
            if (!env.Space.UnmapFrame(frame, ref budget))
            {
                env.RepossessBelow = index + 1;     // this slot again, next tick
                break;
            }
            env.RepossessBelow = index;
            env.Capabilities.Release(slot);
            RepossessionVector* v = env.Repossessed;
            if (v->Count < RepossessionVector.Capacity) v->Frames[v->Count] = frame;
            v->Count++;
            env.RepossessLeft--;
        }
        if (env.RepossessLeft == 0)
        {
            s_pending--;
            EnvTable.Publish(env);
        }
    }

    public static void Forget(Environment env)
    {
        if (env.Repossessed != null && (env.Repossessed->Requested != 0 || env.RepossessLeft != 0)) s_pending--;
    }
}
