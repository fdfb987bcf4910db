// The numbers X64/stubs.asm's fast paths share with C# (system call numbers, TrapFrame,
// ExceptionFrame, EnvFast, CapabilitySlot and EnvRecord layouts, PageFlags, UserLayout, IPC
// and upcall constants), checked once at boot against exo_asm_contract, in that table's
// order: a change on one side only panics at boot, naming the entry, instead of letting the
// assembly read the wrong field. Missing: the same for ExOS's start.asm.
using ExoSharp.Abi;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Tests.Kernel;

internal static unsafe class AsmContract
{
    public static void Check(ulong* table)
    {
        // Offsets are taken from real (stack) instances: the compiler null-checks &p->Field.
        TrapFrame trap;
        ExceptionFrame exception;
        EnvFast fast;
        CapabilitySlot slot;
        EnvRecord record;
        TrapFrame* t = &trap;
        ExceptionFrame* x = &exception;
        EnvFast* f = &fast;
        CapabilitySlot* s = &slot;
        EnvRecord* r = &record;
        KernelStats.Block stats;
        KernelStats.Block* k = &stats;
        ulong vector = Off(t, &t->Vector);
        ulong[] expected =
        {
            (ulong)Syscall.EnvId, (ulong)Syscall.PageMapOne, (ulong)Syscall.IpcCallRegisters, (ulong)Syscall.IpcReplyRegisters,
            0, Off(t, &t->ErrorCode) - vector, Off(t, &t->Rip) - vector, Off(t, &t->Cs) - vector, Off(t, &t->Rflags) - vector, Off(t, &t->Rsp) - vector,
            Off(t, &t->R10), Off(t, &t->R9), Off(t, &t->R8), Off(t, &t->Rdi), Off(t, &t->Rsi), Off(t, &t->Rdx), Off(t, &t->Rax),
            (ulong)sizeof(TrapFrame), UserContext.Size,
            Off(x, &x->Registers.R15), Off(x, &x->Registers.Rdi), Off(x, &x->Registers.Rbx), Off(x, &x->Registers.Rax),
            Off(x, &x->Registers.Rip), Off(x, &x->Registers.Rflags), Off(x, &x->Registers.Rsp),
            ShiftOf((ulong)sizeof(EnvFast)), Off(f, &f->Id), Off(f, &f->ContextEnd), Off(f, &f->Root), Off(f, &f->WaitPlace),
            Off(f, &f->Callee), Off(f, &f->ReplyPlace), Off(f, &f->Slots), Off(f, &f->Pml4), Off(f, &f->Capacity), Off(f, &f->ForeignLimit), Off(f, &f->FsBase),
            ShiftOf((ulong)sizeof(CapabilitySlot)), Off(s, &s->Type), Off(s, &s->Writable), Off(s, &s->Generation),
            Off(s, &s->MapCount), Off(s, &s->Object), (ulong)CapabilityType.Frame, Capability.HandleIndexBits, ShiftOf(Capability.TableChunk),
            PageFlags.Writable, PageFlags.Executable, PageFlags.Available, PageFlags.Allowed,
            UserLayout.Base, UserLayout.End, UserLayout.WindowsStart, UserLayout.WindowsEnd, Memory.DirectMap, AddressSpace.AddressMask,
            Capability.MaxEnvironments, (ulong)sizeof(EnvRecord), Off(r, &r->Status), Off(r, &r->Callee), EnvRecord.Waiting, EnvRecord.Calling,
            Ipc.InRegisters,
            ExceptionUpcall.StackSpan, UserContext.SanitizeFlags(~0UL) & ~ExceptionUpcall.HandlerClears & ~0x202UL,
            Off(s, &s->Rights), Off(s, &s->Badge), (ulong)CapabilityType.None, (ulong)CapabilityType.Environment,
            (ulong)CapabilityType.Reply, CapabilityRights.Call, Capability.ReplySlot, Capability.MaxGeneration,
            UserContext.SanitizeFlags(~0UL) & ~0x202UL,
            Off(k, &k->FastPathsOff), Off(k, &k->UpcallFast), Off(k, &k->PageMapOneFast), Off(k, &k->IpcFast),
            Off(k, &k->Since), Off(k, &k->Longest), Off(k, &k->LongestCause), Off(k, &k->Cause),
            (ulong)Syscall.Yield, CapabilityRights.Yield, Off(f, &f->Hold), Off(f, &f->InEpilogue), Off(k, &k->YieldFast),
            Off(k, &k->LightCalls), Off(t, &t->R11), Off(t, &t->Rcx), (ulong)Syscall.ConsoleWrite, (ulong)Syscall.EnvIdOf,
            (ulong)Syscall.FrameAlloc, (ulong)Syscall.FrameFree, (ulong)Syscall.PageUnmap, (ulong)Syscall.PageQuery,
            (ulong)Syscall.FilterClassify, (ulong)Syscall.NetTransmit, (ulong)Syscall.NetInfo, (ulong)Syscall.CapMint,
            (ulong)Syscall.PageMapRange, (ulong)Syscall.AccountInfo, (ulong)Syscall.PageShare, (ulong)Syscall.XnRead, (ulong)Syscall.XnInfo,
        };
        for (int i = 0; i < expected.Length; i++)
        {
            if (table[i] == expected[i]) continue;
            Console.Write("kernel: stubs.asm's constant ");
            Console.WriteDecimal(i);
            Console.Write(" is ");
            Console.WriteHex(table[i]);
            Console.Write(", C# says ");
            Console.WriteHex(expected[i]);
            Console.Write('\n');
            Panic.Halt("stubs.asm and the C# kernel disagree (tests/Kernel/AsmContract.cs)");
        }
        if (table[expected.Length] != ~0UL) Panic.Halt("stubs.asm's contract table has more entries than tests/Kernel/AsmContract.cs");
    }

    private static ulong Off(void* structure, void* field) => (ulong)field - (ulong)structure;

    private static ulong ShiftOf(ulong size)
    {
        ulong shift = 0;
        while ((1UL << (int)shift) < size) shift++;
        return (1UL << (int)shift) == size ? shift : ~0UL;
    }
}
