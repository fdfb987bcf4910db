// Test helper: runs a program in both engines (interpreter and compiled x86-64 in executable
// pages) and fails the test if they disagree; returns the common result.
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Native;
using ExoSharp.Executive.Verification;
using ExoSharp.Tools.FilterVerdicts;
using Xunit;

namespace ExoSharp.Tests.Executive
{
    internal static unsafe class Both
    {
        public static Instruction S(int code, uint k = 0) => Instruction.Statement((ushort)code, k);

        public static Instruction J(int code, uint k, int jt, int jf) => Instruction.Jump((ushort)code, k, (byte)jt, (byte)jf);

        public static ExecutableCode Compile(Instruction[] program)
        {
            byte[] code = NativeCompiler.Compile(program);
            Assert.NotNull(code);
            return new ExecutableCode(code);
        }

        /// <summary>Verifies (must pass with the given options), runs both engines, compares.</summary>
        public static uint Run(Instruction[] program, byte[] packet, uint? wireLength = null, RunContext* context = null, VerifierOptions? options = null)
        {
            VerifierResult verdict = Verifier.Verify(program, options ?? VerifierOptions.PacketFilter);
            Assert.True(verdict.IsValid, verdict.Describe());
            using ExecutableCode native = Compile(program);
            return Run(program, native, packet, wireLength ?? (uint)packet.Length, context);
        }

        public static uint Run(Instruction[] program, ExecutableCode native, byte[] packet, uint wireLength, RunContext* context = null)
        {
            uint interpreted, compiled;
            uint emittedByInterpreter = 0;
            fixed (byte* p = packet)
            {
                if (context != null) context->EmitCount = 0;
                interpreted = Interpreter.Run(program, p, (uint)packet.Length, wireLength, context);
                if (context != null)
                {
                    emittedByInterpreter = context->EmitCount;
                    context->EmitCount = 0;
                }
                compiled = native.Run(p, (uint)packet.Length, wireLength, context);
            }
            Assert.Equal(interpreted, compiled);
            if (context != null) Assert.Equal(emittedByInterpreter, context->EmitCount);
            return interpreted;
        }
    }
}
