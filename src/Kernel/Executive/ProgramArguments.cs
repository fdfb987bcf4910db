// The arguments every executive call shares: a program in the caller's memory (copied into one
// kernel staging buffer before anything looks at it, so the caller cannot change it under the
// verifier) and an optional ProgramReport to fill in. Also the verifier's workspace, so that
// verification in the kernel allocates nothing. Interrupts off: one call at a time uses them.
using System;
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Core;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Kernel.Executive;

internal static unsafe class ProgramArguments
{
    private static Instruction* s_staging;
    private static uint* s_workspace;

    public static void Initialize()
    {
        s_staging = (Instruction*)NativeMemory.Alloc((nuint)(ExecutiveLimits.MaxProgram * sizeof(Instruction)));
        s_workspace = (uint*)NativeMemory.Alloc((nuint)(Verifier.WorkspaceSize(ExecutiveLimits.MaxProgram) * sizeof(uint)));
    }

    /// <summary>Room for the verifier on any program that Copy accepted.</summary>
    public static Span<uint> Workspace => new Span<uint>(s_workspace, Verifier.WorkspaceSize(ExecutiveLimits.MaxProgram));

    /// <summary>Checks the report pointer (0: none) and clears the report, then copies count
    /// instructions from address. 0, or BadLength (count past MaxProgram) or BadAddress.
    /// The program is valid until the next call to Copy.</summary>
    public static long Copy(Environment env, ulong address, ulong count, ulong report, out ReadOnlySpan<Instruction> program)
    {
        program = default;
        if (report != 0)
        {
            if (!UserMemory.CanAccess(env.Space, report, (ulong)sizeof(ProgramReport), true)) return (long)Error.BadAddress;
            *(ProgramReport*)report = new ProgramReport { Index = -1 };
        }
        if (count > ExecutiveLimits.MaxProgram) return (long)Error.BadLength;
        ulong bytes = count * (ulong)sizeof(Instruction);
        if (!UserMemory.CanAccess(env.Space, address, bytes, false)) return (long)Error.BadAddress;
        System.Buffer.MemoryCopy((void*)address, s_staging, (long)bytes, (long)bytes);
        program = new ReadOnlySpan<Instruction>(s_staging, (int)count);
        return 0;
    }

    /// <summary>Fills the report (when there is one) from the verifier's answer. Precondition:
    /// Copy accepted the same report pointer in this call.</summary>
    public static void Report(ulong report, in VerifierResult verdict)
    {
        if (report == 0) return;
        var r = (ProgramReport*)report;
        r->Rule = (uint)verdict.Rule;
        r->Index = verdict.IsValid ? -1 : verdict.Index;
        r->MaxSteps = (uint)verdict.MaxSteps;
        r->MaxEmits = (uint)verdict.MaxEmits;
        r->ContextLength = verdict.RequiredContextLength;
    }

    /// <summary>Names the other owner's filter in the report (Error.Overlap).</summary>
    public static void ReportConflict(ulong report, uint filter, uint owner)
    {
        if (report == 0) return;
        ((ProgramReport*)report)->ConflictFilter = filter;
        ((ProgramReport*)report)->ConflictOwner = owner;
    }

    /// <summary>A copy of a verified program that outlives the staging buffer.</summary>
    public static Instruction[] Keep(ReadOnlySpan<Instruction> program)
    {
        var copy = new Instruction[program.Length];
        for (int i = 0; i < program.Length; i++) copy[i] = program[i];
        return copy;
    }
}
