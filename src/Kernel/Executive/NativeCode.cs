// The compiled x86-64 code of one verified program in kernel memory, called with the System V
// convention (uint Run(packet, length, wireLength, RunContext*)). Running allocates nothing, so
// the scheduler may run predicates from the timer path; a value type, so freeing leaves no
// managed garbage. Missing: W^X (the heap is in the direct map, writable and executable today;
// the code should move to pages mapped execute-only once compiled).
using System;
using System.Runtime.InteropServices;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Native;

namespace ExoSharp.Kernel.Executive
{
    internal unsafe struct NativeCode
    {
        private byte* _code;

        /// <summary>Bytes of machine code (0 when there is none).</summary>
        public int Length;

        public bool IsValid => _code != null;

        /// <summary>Compiles a verified program; an invalid NativeCode if the compiler does not
        /// know one of its instructions (callers then interpret it).</summary>
        public static NativeCode Compile(ReadOnlySpan<Instruction> program)
        {
            NativeCode result = default;
            // Sized for the usual 8-12 bytes per instruction (it doubles if needed), not for
            // MaxCodeBytes' worst case: the assembler's buffers are garbage that is never freed.
            var asm = new X64Assembler(16 * program.Length + 64);
            if (!NativeCompiler.Compile(program, asm)) return result;
            byte[] bytes = asm.ToArray();
            if (bytes.Length == 0) return result;
            result._code = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
            fixed (byte* source = bytes) System.Buffer.MemoryCopy(source, result._code, bytes.Length, bytes.Length);
            result.Length = bytes.Length;
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
            if (_code != null) NativeMemory.Free(_code);
            _code = null;
            Length = 0;
        }
    }
}
