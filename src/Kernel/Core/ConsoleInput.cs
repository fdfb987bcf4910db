// The console's input, multiplexed by a capability: bytes the serial line receives (COM1's
// receive interrupt, IRQ 4) go into the ConsoleRing of whichever holder of a console capability
// attached one last (ConsoleAttach), a page of its own the kernel holds a reference on while it
// writes there. A full ring: the byte is counted and dropped, never waited for. No ring: the
// line is not read (its interrupt is off), so what is typed waits in the UART until one comes. The
// kernel interprets nothing (0x03 is a byte like any other): echo, lines and signals are the
// library OS's. The holder waits with PredicateWait over Head and Tail; the scheduler idles for
// it. The attachment ends with the capability it was made with (dropped, revoked), the ring's
// replacement, or its environment. Interrupts off throughout.
using System.Threading;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class ConsoleInput
{
    /// <summary>Most bytes one interrupt takes from the UART (its FIFO holds 16).</summary>
    private const int MaxPerInterrupt = 32;

    private static Environment s_holder;            // whose ring receives (null: none)
    private static CapabilitySlot* s_capability;    // the capability the ring was attached with
    private static ulong s_frame;                   // the ring's frame (a kernel reference)
    private static uint s_head;                     // the kernel's own count: the page's Head is never read back
    private static ulong s_received, s_dropped, s_interrupts;
    private static bool s_lineUsable;

    /// <summary>Boot time, after the PIC: the console's system call, hooks and interrupt.</summary>
    public static void Initialize()
    {
        Subsystems.Register(&Forget, &Receives, null);
        Subsystems.RegisterCall(Syscall.ConsoleAttach, &Call);
        s_lineUsable = InterruptLines.Register(Serial.Line, &OnInterrupt);
    }

    private static long Call(Environment env, TrapFrame* frame, Syscall call, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) =>
        Attach(env, a0, a1);

    /// <summary>ConsoleAttach(console, address).</summary>
    public static long Attach(Environment env, ulong handle, ulong address)
    {
        CapabilitySlot* capability = env.Capabilities.Lookup(handle, CapabilityType.Console);
        if (capability == null) return (long)Error.BadHandle;
        if (address == 0)
        {
            if (s_holder == env) Detach();
            return 0;
        }
        if ((address & (AddressSpace.PageSize - 1)) != 0) return (long)Error.BadArgument;
        if (!UserMemory.CanAccess(env.Space, address, AddressSpace.PageSize, true)) return (long)Error.BadAddress;
        ulong frame = (env.Space.Query(address) & AddressSpace.AddressMask) / AddressSpace.PageSize;
        if (!FrameTable.RetainForKernel(frame)) return (long)Error.TableFull;     // its count is at the limit
        Detach();
        var ring = (ConsoleRing*)Memory.Pointer(frame * AddressSpace.PageSize);
        *ring = default;
        s_holder = env;
        s_capability = capability;
        s_frame = frame;
        s_head = 0;
        if (s_lineUsable) Serial.Receive(true);
        return 0;
    }

    private static void Detach()
    {
        if (s_holder == null) return;
        FrameTable.ReleaseForKernel(s_frame);
        if (s_lineUsable) Serial.Receive(false);
        s_holder = null;
        s_capability = null;
        s_frame = 0;
    }

    /// <summary>IRQ 4: takes at most MaxPerInterrupt bytes (the rest raise the next interrupt);
    /// none when no ring is attached (an interrupt raised before the detach).</summary>
    private static void OnInterrupt()
    {
        s_interrupts++;
        if (s_holder == null) return;
        for (int i = 0; i < MaxPerInterrupt && Serial.TryRead(out byte b); i++) Deliver(b);
    }

    private static void Deliver(byte b)
    {
        s_received++;
        var ring = (ConsoleRing*)Memory.Pointer(s_frame * AddressSpace.PageSize);
        ring->Received++;
        // Whatever the holder wrote in Tail, the kernel stays inside its own page.
        if (s_head - Volatile.Read(ref ring->Tail) >= ConsoleRing.Capacity)
        {
            ring->Dropped++;
            s_dropped++;
            return;
        }
        ((byte*)ring)[ConsoleRing.DataOffset + (s_head & (ConsoleRing.Capacity - 1))] = b;
        s_head++;
        Volatile.Write(ref ring->Head, s_head);
    }

    /// <summary>A console capability is being removed (Authority.Remove): the ring attached
    /// with it stops receiving.</summary>
    public static void Removed(CapabilitySlot* capability)
    {
        if (capability == s_capability) Detach();
    }

    /// <summary>Whether bytes may arrive in env's memory (the scheduler idles for its predicate).</summary>
    private static bool Receives(Environment env) => s_holder == env;

    private static void Forget(Environment env)
    {
        if (s_holder == env) Detach();
    }

    /// <summary>At power-off: what the console received, when it received anything.</summary>
    public static void Print()
    {
        if (s_received == 0) return;
        Console.Format("kernel: console input: {} bytes in {} interrupts, {} dropped (a full ring)\n", (ulong)s_received, (ulong)s_interrupts, (ulong)s_dropped);
    }
}
