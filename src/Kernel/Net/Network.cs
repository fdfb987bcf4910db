// Network frames multiplexed by the packet filters (DESIGN.md section 2, the network row). A
// received frame goes to the environment whose filter claims it, copied into the next slot of
// that environment's receive ring (its own pages); unclaimed frames, frames for an owner
// without a ring and frames for a full ring are counted and dropped, never queued, so the
// receive path cannot stall. Transmit: NetTransmit takes frames from the sender's transmit
// ring into the card, each checked by AntiSpoofing first (on the kernel's copy).
// An owner blocks on its ring with PredicateWait over a slot's Length word; the scheduler idles
// (rather than powering off) while such an environment waits. Interrupts off throughout.
// Missing: more than one card, receive interrupts coalesced per ring (an upcall on delivery).
using System.Threading;
using ExoSharp.Abi;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.Devices;
using ExoSharp.Kernel.Executive;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Net;

internal static unsafe class Network
{
    private static KernelRing[] s_receive;
    private static KernelRing[] s_transmit;
    private static NetInfo s_info;

    /// <summary>Boot time: starts the card if the machine has one (a console line either way).</summary>
    public static void Initialize(int environments)
    {
        s_receive = new KernelRing[environments];
        s_transmit = new KernelRing[environments];
        Subsystems.Register(&Forget, &Receives, null);
        Subsystems.RegisterCall(Syscall.RingAttach, &Call);
        Subsystems.RegisterCall(Syscall.NetTransmit, &Call);
        Subsystems.RegisterCall(Syscall.NetInfo, &Call);
        AntiSpoofing.Initialize();
        VirtioNet.OnReceive = &Deliver;
        if (!VirtioNet.Initialize()) return;
        s_info.Mac = VirtioNet.Mac;
        Console.Write("kernel: net: virtio-net card ");
        for (int i = 0; i < 6; i++)
        {
            if (i > 0) Console.Write(':');
            WriteHexByte((byte)(VirtioNet.Mac >> (8 * i)));
        }
        Console.WriteLine(", frames go to the environments whose filters claim them");
    }

    private static void WriteHexByte(byte b)
    {
        const string digits = "0123456789abcdef";
        Console.Write(digits[b >> 4]);
        Console.Write(digits[b & 15]);
    }

    /// <summary>The network's system calls (registered with Subsystems: only these three come).</summary>
    private static long Call(Environment env, TrapFrame* frame, Syscall call, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
    {
        if (call == Syscall.NetInfo) return Info(env, a0);
        Environment target = Syscalls.Target(env, a0, out long error);   // its rings: Control over it
        if (target == null) return error;
        return call == Syscall.RingAttach ? Attach(target, a1, a2, a3) : Transmit(target);
    }

    /// <summary>RingAttach(handle, kind, address, slots): env is the environment the handle names.</summary>
    public static long Attach(Environment env, ulong kind, ulong address, ulong slots)
    {
        if (kind != PacketRing.Receive && kind != PacketRing.Transmit) return (long)Error.BadArgument;
        if (!VirtioNet.Present) return (long)Error.NoDevice;
        if (slots > PacketRing.MaxSlots) return (long)Error.BadLength;
        KernelRing[] table = kind == PacketRing.Receive ? s_receive : s_transmit;
        KernelRing ring = null;
        if (slots != 0)
        {
            if ((address & (AddressSpace.PageSize - 1)) != 0) return (long)Error.BadArgument;
            ulong pages = (slots + PacketRing.SlotsPerPage - 1) / PacketRing.SlotsPerPage;
            if (!AddressSpace.IsUserRange(address, pages * AddressSpace.PageSize)) return (long)Error.BadAddress;
            // Rings are written by the kernel (receive) or emptied by it (transmit): writable pages only.
            if (!UserMemory.CanAccess(env.Space, address, pages * AddressSpace.PageSize, true)) return (long)Error.BadAddress;
            var frames = new ulong[pages];
            for (ulong i = 0; i < pages; i++)
            {
                frames[i] = (env.Space.Query(address + i * AddressSpace.PageSize) & AddressSpace.AddressMask) / AddressSpace.PageSize;
                if (!FrameTable.RetainForKernel(frames[i]))
                {
                    for (ulong j = 0; j < i; j++) FrameTable.ReleaseForKernel(frames[j]);
                    return (long)Error.NoRights;
                }
            }
            ring = new KernelRing(frames, (uint)slots);
        }
        table[env.Index]?.Release();
        table[env.Index] = ring;
        return 0;
    }

    /// <summary>From the card's interrupt: one received frame in a kernel buffer. Must not allocate.</summary>
    public static void Deliver(byte* frame, uint length)
    {
        s_info.Received++;
        ulong owner = PacketFilters.Claim(frame, length, out uint filterId);
        if (owner == 0)
        {
            s_info.Unclaimed++;
            return;
        }
        KernelRing ring = s_receive[EnvTable.Find(owner).Index];
        if (ring == null)
        {
            s_info.NoRing++;
            return;
        }
        PacketSlot* slot = ring.Slot(ring.Next);
        if (Volatile.Read(ref slot->Length) != 0 || length > PacketRing.SlotSize - PacketRing.HeaderSize)
        {
            ring.Dropped++;
            s_info.RingFull++;
            return;
        }
        System.Buffer.MemoryCopy(frame, ring.Data(ring.Next), PacketRing.SlotSize - PacketRing.HeaderSize, length);
        slot->FilterId = filterId;
        slot->Status = 0;
        slot->Dropped = ring.Dropped;
        ring.Dropped = 0;
        Volatile.Write(ref slot->Length, length);
        ring.Advance();
        s_info.Delivered++;
    }

    /// <summary>NetTransmit(handle): the number of slots taken from env's transmit ring, each
    /// checked against env's filters.</summary>
    public static long Transmit(Environment env)
    {
        if (!VirtioNet.Present) return (long)Error.NoDevice;
        KernelRing ring = s_transmit[env.Index];
        if (ring == null) return (long)Error.BadArgument;
        long taken = 0;
        while (taken < ring.Slots)
        {
            PacketSlot* slot = ring.Slot(ring.Next);
            uint length = Volatile.Read(ref slot->Length);
            if (length == 0) break;
            byte* buffer = VirtioNet.TransmitBuffer();
            if (buffer == null) break;                  // the card is busy: the rest waits for the next call
            long status = 0;
            if (length < PacketRing.MinFrame || length > PacketRing.MaxFrame) status = (long)Error.BadLength;
            else
            {
                // Check the kernel's copy: the sender may change its slot meanwhile.
                System.Buffer.MemoryCopy(ring.Data(ring.Next), buffer, PacketRing.MaxFrame, length);
                status = AntiSpoofing.Check(env.Id, buffer, length, VirtioNet.Mac);
            }
            if (status != 0) s_info.Refused++;
            else
            {
                VirtioNet.Send(length);
                s_info.Sent++;
            }
            slot->Status = (int)status;
            Volatile.Write(ref slot->Length, 0);
            ring.Advance();
            taken++;
        }
        return taken;
    }

    /// <summary>NetInfo(info).</summary>
    public static long Info(Environment env, ulong info)
    {
        if (!VirtioNet.Present) return (long)Error.NoDevice;
        if (!UserMemory.CanAccess(env.Space, info, (ulong)sizeof(NetInfo), true)) return (long)Error.BadAddress;
        *(NetInfo*)info = s_info;
        return 0;
    }

    /// <summary>Whether frames may arrive for env (the scheduler idles instead of powering off).</summary>
    public static bool Receives(Environment env) => s_receive != null && s_receive[env.Index] != null;

    /// <summary>env is ending: its rings go (the kernel's references on their frames with them).</summary>
    public static void Forget(Environment env)
    {
        if (s_receive == null) return;
        s_receive[env.Index]?.Release();
        s_transmit[env.Index]?.Release();
        s_receive[env.Index] = s_transmit[env.Index] = null;
    }
}
