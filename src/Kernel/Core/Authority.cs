// The capability calls that work on any kind: CapDrop, CapMint, CapRevoke, and passing a
// capability over IPC (Transfer). Every capability made from another is its child in the
// derivation tree (CapabilityTable), whichever table it lands in; CapRevoke removes every
// descendant, a frame's with its mappings in its holder's space, so whoever minted or passed a
// capability can take it back. Dropping one moves its children up, revoking nothing.
// Work: CapRevoke does at most Capability.RevokePerCall units a call (a capability removed, a
// mapping undone), CapDrop of a frame at most Capability.UnmapPerCall unmappings; nothing else loops. Missing: revoking a mapping made into a space the
// holder did not control (mappings into another environment reuse a frame capability it has).
using ExoSharp.Abi;

namespace ExoSharp.Kernel.Core;

internal static unsafe class Authority
{
    /// <summary>CapDrop(handle): any capability but slot 0. 0, or 1 when a frame's mappings
    /// are left to unmap (Capability.UnmapPerCall a call; the capability stays: call again).</summary>
    public static long Drop(Environment env, ulong handle)
    {
        CapabilitySlot* slot = env.Capabilities.LookupAny(handle);
        if (slot == null) return (long)Error.BadHandle;
        if (slot->Type == CapabilityType.Reply)
        {
            Ipc.DropReply(env);
            return 0;
        }
        int budget = (int)Capability.UnmapPerCall;
        return Remove(env, slot, ref budget) ? 0 : 1;
    }

    /// <summary>Removes one capability from env's table: a frame's mappings in env's space
    /// go too, one unit of budget each; false (the capability stays) when the budget ran out first.</summary>
    private static bool Remove(Environment env, CapabilitySlot* slot, ref int budget)
    {
        if (slot->Type == CapabilityType.Slot && (slot->Rights & OwnsSlot) != 0)
        {
            RevokeBelow(slot);
            Scheduler.Release(env, (int)slot->Object);
        }
        if (slot->Type == CapabilityType.Console) ConsoleInput.Removed(slot);
        if (slot->Type != CapabilityType.Frame)
        {
            env.Capabilities.Remove(slot);
            return true;
        }
        return Mappings.FreeFrame(env, env.Capabilities.HandleOf(slot), ref budget) == 0;
    }

    /// <summary>Rights bit of the Slot capability that owns its slot (never copied).</summary>
    public const byte OwnsSlot = 0x80;

    /// <summary>Gives target the capability for a slot it was just given (SliceAlloc, the
    /// loader): it owns the slot; derived from parent (the giver's capability for target, or
    /// null). Returns its handle in target's table. Precondition: a slot is reserved.</summary>
    public static ulong GrantSlot(Environment target, int slotNumber, CapabilitySlot* parent)
    {
        ulong handle = target.Capabilities.Insert(CapabilityType.Slot, (ulong)slotNumber, false, parent);
        target.Capabilities.LookupAny(handle)->Rights = OwnsSlot;
        return handle;
    }

    /// <summary>CapMint(handle, rights, badge): a new capability in the caller's table derived
    /// from handle (0: the caller itself) with rights narrowed to those given and the badge
    /// (0: keep the source's; a badged capability's badge cannot change). Returns its handle.</summary>
    public static long Mint(Environment env, ulong handle, ulong rights, ulong badge)
    {
        CapabilitySlot* source = handle == Capability.Self ? env.Capabilities.SelfSlot : env.Capabilities.LookupAny(handle);
        if (source == null) return (long)Error.BadHandle;
        if (source->Type == CapabilityType.Reply) return (long)Error.BadArgument;
        if (source->Type == CapabilityType.Frame)
        {
            if ((rights & ~(ulong)CapabilityRights.Write) != 0 || badge != 0) return (long)Error.BadArgument;
            bool writable = (rights & CapabilityRights.Write) != 0;
            if (writable && !source->Writable) return (long)Error.NoRights;
            if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
            if (!FrameTable.Retain(source->Object)) return (long)Error.TableFull;     // its count is at the limit
            return (long)env.Capabilities.Insert(CapabilityType.Frame, source->Object, writable, source);
        }
        // Kinds without rights or badges (the machine) are plain copies; an XN root's has only Write and no badge.
        ulong all = source->Type == CapabilityType.Environment ? CapabilityRights.AllEnvironment : source->Type == CapabilityType.XnRoot ? CapabilityRights.Write : 0UL;
        if ((rights & ~all) != 0 || (badge != 0 && all != CapabilityRights.AllEnvironment)) return (long)Error.BadArgument;
        if ((rights & ~(ulong)source->Rights) != 0) return (long)Error.NoRights;
        if (source->Badge != 0 && badge != 0 && badge != source->Badge) return (long)Error.BadArgument;
        if (badge == 0) badge = source->Badge;
        if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
        return (long)env.Capabilities.Insert(source->Type, source->Object, false, source, (byte)rights, badge);
    }

    /// <summary>CapRevoke(handle): removes capabilities derived from handle's (0: from the
    /// caller itself), in every table, leaving handle's own: at most Capability.RevokePerCall
    /// units of work a call (a capability removed or a mapping undone is one), so the caller
    /// calls again until it returns 0. Returns how many went (1 when none could go this call
    /// but some are left).</summary>
    public static long Revoke(Environment env, ulong handle)
    {
        CapabilitySlot* root = handle == Capability.Self ? env.Capabilities.SelfSlot : env.Capabilities.LookupAny(handle);
        if (root == null) return (long)Error.BadHandle;
        int budget = Capability.RevokePerCall;
        long removed = RevokeBelow(root, ref budget);
        return removed == 0 && root->FirstChild != null ? 1 : removed;
    }

    private static long RevokeBelow(CapabilitySlot* root)
    {
        int budget = int.MaxValue;
        return RevokeBelow(root, ref budget);
    }

    private static long RevokeBelow(CapabilitySlot* root, ref int budget)
    {
        long removed = 0;
        while (root->FirstChild != null && budget > 0)
        {
            CapabilitySlot* leaf = root->FirstChild;
            while (leaf->FirstChild != null) leaf = leaf->FirstChild;
            Environment holder = EnvTable.HolderAt(CapabilityTable.OwnerOf(leaf));
            if (holder == null) Panic.Halt("a derived capability in a table nobody holds");
            if (holder.Ended) holder.Capabilities.Discard(leaf);
            else if (!Remove(holder, leaf, ref budget)) break;      // its mappings take the next call
            budget--;
            removed++;
        }
        return removed;
    }

    /// <summary>Gives to its own capability for the one from names by handle (IPC): derived
    /// from the sender's, a frame writable only when flags ask and the sender's allows it.
    /// Returns the receiver's handle (0 for handle 0), or a negative Error.</summary>
    public static long Transfer(Environment from, Environment to, ulong handle, ulong flags)
    {
        if (handle == 0) return 0;
        CapabilitySlot* slot = from.Capabilities.LookupAny(handle);
        if (slot == null) return (long)Error.BadHandle;
        if (slot->Type == CapabilityType.Reply) return (long)Error.BadArgument;
        if (!to.Capabilities.Reserve(1)) return (long)Error.TableFull;
        if (slot->Type == CapabilityType.Frame)
        {
            bool writable = (flags & PageFlags.Writable) != 0;
            if (writable && !slot->Writable) return (long)Error.NoRights;
            if (!FrameTable.Retain(slot->Object)) return (long)Error.TableFull;       // its count is at the limit
            return (long)to.Capabilities.Insert(CapabilityType.Frame, slot->Object, writable, slot);
        }
        return (long)to.Capabilities.Insert(slot->Type, slot->Object, false, slot, slot->Rights, slot->Badge);
    }

    /// <summary>Drops a capability Transfer made when its message could not be delivered.</summary>
    public static void Untransfer(Environment env, ulong handle)
    {
        CapabilitySlot* slot = handle == 0 ? null : env.Capabilities.LookupAny(handle);
        int budget = int.MaxValue;     // just made: no mappings
        if (slot != null) Remove(env, slot, ref budget);
    }
}
