// The compiled x86-64 code of one verified program in kernel memory, called with the System V
// convention (uint Run(packet, length, wireLength, RunContext*)). Running allocates nothing, so
// the scheduler may run predicates from the timer path; a value type, so freeing leaves no
// managed garbage. The code lives in CodePages (executable, never writable; the heap is never
// executable).
using System;
using System.Runtime.InteropServices;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Native;

namespace ExoSharp.Kernel.Executive;

internal unsafe struct NativeCode
{
    private byte* _code;

    /// <summary>Bytes of machine code (0 when there is none).</summary>
    public int Length;

    public bool IsValid => _code != null;

    /// <summary>Where the code is (in CodePages' region), for the W^X self-test.</summary>
    public ulong Address => (ulong)_code;

    /// <summary>Compiles a verified program; an invalid NativeCode if the compiler does not
    /// know one of its instructions (callers then interpret it).</summary>
    public static NativeCode Compile(ReadOnlySpan<Instruction> program)
    {
        // Sized for the usual 8-12 bytes per instruction (it doubles if needed), not for
        // MaxCodeBytes' worst case: the assembler's buffers are garbage that is never freed.
        var asm = new X64Assembler(16 * program.Length + 64);
        return NativeCompiler.Compile(program, asm) ? Place(asm) : default;
    }

    /// <summary>asm's finished code copied into executable pages; invalid when there is none
    /// or no room (the caller interprets).</summary>
    public static NativeCode Place(X64Assembler asm)
    {
        NativeCode result = default;
        ReadOnlySpan<byte> bytes = asm.Code;
        if (bytes.Length == 0) return result;
        fixed (byte* source = bytes) result._code = CodePages.Place(source, bytes.Length);
        if (result._code != null) result.Length = bytes.Length;
        return result;
    }

    /// <summary>Precondition: IsValid; packet holds length readable bytes; context is null or
    /// valid for the program's declared context and emits.</summary>
    public uint Run(byte* packet, uint length, uint wireLength, RunContext* context)
    {
        // Compiled filters are leaf code that never calls back: no transition frame needed.
        var entry = (delegate* unmanaged[SuppressGCTransition]<byte*, uint, uint, RunContext*, uint>)_code;
        return entry(packet, length, wireLength, context);
    }

    public void Free()
    {
        if (_code != null) CodePages.Free(_code, Length);
        _code = null;
        Length = 0;
    }
}
