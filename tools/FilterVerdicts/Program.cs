// tools/filter-verdicts ENGINE PROGRAM CAPTURE: runs the filter in PROGRAM (tcpdump -dd or -ddd
// text) over every packet of CAPTURE (classic pcap) with ENGINE (interp: the interpreter; native:
// compiled x86-64 code) and prints the filter's return value per packet, in decimal, nothing else.
// Errors (usage, unreadable files, a program the loader or verifier refuses, a bad capture) go to
// stderr with exit status 2; a damaged last record stops the output there, then exits 2.
using System;
using System.IO;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Engines;
using ExoSharp.Executive.Native;
using ExoSharp.Executive.Verification;

namespace ExoSharp.Tools.FilterVerdicts
{
    public static unsafe class Program
    {
        private const string Usage = "usage: filter-verdicts interp|native PROGRAM CAPTURE";

        public static int Main(string[] args)
        {
            if (args.Length != 3 || (args[0] != "interp" && args[0] != "native")) return Fail(Usage);
            byte[] text, capture;
            try
            {
                text = File.ReadAllBytes(args[1]);
                capture = File.ReadAllBytes(args[2]);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Fail("filter-verdicts: " + e.Message);
            }

            Instruction[] program = ProgramText.Parse(text, out TextParseResult parsed);
            if (program == null) return Fail("filter-verdicts: " + args[1] + ": " + parsed.Describe());
            VerifierResult verdict = Verifier.Verify(program, VerifierOptions.PacketFilter);
            if (!verdict.IsValid) return Fail("filter-verdicts: " + args[1] + ": rejected: " + verdict.Describe());

            PcapFile file = PcapFile.Read(capture, out string error);
            if (file == null) return Fail("filter-verdicts: " + args[2] + ": " + error);

            using ExecutableCode native = args[0] == "native" ? new ExecutableCode(NativeCompiler.Compile(program)) : null;
            var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false, NewLine = "\n" };
            foreach (PcapRecord record in file.Records)
            {
                uint result;
                fixed (byte* packet = record.Data)
                {
                    result = native != null
                        ? native.Run(packet, (uint)record.Data.Length, record.WireLength, null)
                        : Interpreter.Run(program, packet, (uint)record.Data.Length, record.WireLength, null);
                }
                output.WriteLine(result.ToString());
            }
            output.Flush();
            if (error != null) return Fail("filter-verdicts: " + args[2] + ": " + error);
            return 0;
        }

        private static int Fail(string message)
        {
            Console.Error.WriteLine(message);
            return 2;
        }
    }
}
