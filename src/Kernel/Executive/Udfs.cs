// UDFs (XN's untrusted deterministic functions): a registered program reads a metadata block (as
// its context, little-endian at proven offsets, and as its buffer, big-endian, checked at run
// time) and emits records, e.g. owns(inode) -> (block, count, type). UdfRun runs one over a
// block the caller supplies; any environment may run any UDF. UDFs go when their owner ends.
// Missing: XN's system calls (XN's core, src/Xn, runs templates' UDFs itself), explicit removal.
using System;
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Verification;
using ExoSharp.Kernel.Core;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Kernel.Executive;

internal static unsafe class Udfs
{
    private static Udf[] s_table;
    private static uint s_nextId = 1;
    private static byte* s_block;
    private static EmitRecord* s_records;

    public static void Initialize()
    {
        s_table = new Udf[ExecutiveLimits.MaxUdfs];
        s_block = (byte*)NativeMemory.Alloc(ExecutiveLimits.MaxUdfBlock);
        s_records = (EmitRecord*)NativeMemory.Alloc((nuint)(ExecutiveLimits.MaxUdfRecords * sizeof(EmitRecord)));
    }

    /// <summary>UdfRegister(program, count, blockLength, report): its id.</summary>
    public static long Register(Environment env, ulong program, ulong count, ulong blockLength, ulong report)
    {
        long error = ProgramArguments.Copy(env, program, count, report, out ReadOnlySpan<Instruction> code);
        if (error < 0) return error;
        if (blockLength > ExecutiveLimits.MaxUdfBlock) return (long)Error.BadLength;
        VerifierOptions options = VerifierOptions.Extended((uint)blockLength, true);
        VerifierResult verdict = Verifier.Verify(code, options, ProgramArguments.Workspace);
        ProgramArguments.Report(report, verdict);
        if (!verdict.IsValid) return (long)Error.ProgramRefused;
        int free = -1, owned = 0;
        for (int i = 0; i < s_table.Length; i++)
        {
            if (s_table[i] == null) { if (free < 0) free = i; }
            else if (s_table[i].Owner == env.Id) owned++;
        }
        if (free < 0 || owned >= ExecutiveLimits.MaxUdfsPerEnv) return (long)Error.TableFull;
        if (!ExecutiveBudget.CanSpend) return (long)Error.NoMemory;
        ulong before = ExecutiveBudget.Begin();
        var udf = new Udf { Id = s_nextId++, Owner = env.Id, Program = ProgramArguments.Keep(code), BlockLength = (uint)blockLength };
        udf.Code = NativeCode.Compile(udf.Program);
        s_table[free] = udf;
        ExecutiveBudget.End(before);
        return udf.Id;
    }

    /// <summary>UdfRun(id, block, length, output): fills the UdfOutput; 0.</summary>
    public static long Run(Environment env, ulong id, ulong block, ulong length, ulong output)
    {
        Udf udf = Find(id);
        if (udf == null) return (long)Error.NoSuchProgram;
        if (length < udf.BlockLength || length > ExecutiveLimits.MaxUdfBlock) return (long)Error.BadLength;
        if (!UserMemory.CanAccess(env.Space, block, length, false)) return (long)Error.BadAddress;
        if (!UserMemory.CanAccess(env.Space, output, (ulong)sizeof(UdfOutput), true)) return (long)Error.BadAddress;
        var result = (UdfOutput*)output;
        ulong records = result->Records, capacity = result->Capacity;
        if (capacity > ExecutiveLimits.MaxUdfRecords) return (long)Error.BadLength;
        if (!UserMemory.CanAccess(env.Space, records, capacity * (ulong)sizeof(UdfRecord), true)) return (long)Error.BadAddress;

        System.Buffer.MemoryCopy((void*)block, s_block, ExecutiveLimits.MaxUdfBlock, (long)length);
        var context = new RunContext
        {
            Context = s_block,
            ContextLength = (uint)length,
            Emits = s_records,
            EmitCapacity = ExecutiveLimits.MaxUdfRecords,
        };
        uint value = udf.Code.IsValid
            ? udf.Code.Run(s_block, (uint)length, (uint)length, &context)
            : Interpreter.Run(udf.Program, s_block, (uint)length, (uint)length, &context);
        ulong emitted = context.EmitCount;
        ulong copied = emitted < capacity ? emitted : capacity;
        System.Buffer.MemoryCopy(s_records, (void*)records, (long)(capacity * (ulong)sizeof(UdfRecord)), (long)(copied * (ulong)sizeof(UdfRecord)));
        result->Count = emitted;
        result->Value = value;
        return 0;
    }

    /// <summary>env is ending: its UDFs go (frees only).</summary>
    public static void Forget(Environment env)
    {
        if (s_table == null) return;
        for (int i = 0; i < s_table.Length; i++)
        {
            Udf udf = s_table[i];
            if (udf == null || udf.Owner != env.Id) continue;
            udf.Code.Free();
            s_table[i] = null;
        }
    }

    private static Udf Find(ulong id)
    {
        for (int i = 0; i < s_table.Length; i++)
            if (s_table[i] != null && s_table[i].Id == id) return s_table[i];
        return null;
    }
}
