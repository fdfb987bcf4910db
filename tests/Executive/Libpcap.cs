// Test fixture: the machine's libpcap and real captures, prepared once per test run.
// Installs the pinned Debian packages if missing (as root), fails clearly on other versions,
// compiles pcap_verdicts.c with gcc into a scratch folder, and gets real captures from
// tools/captures.sh (Debian packages fetched with `apt-get download`, never committed).
using System.Diagnostics;
using System.Text;
using ExoSharp.Tools.FilterVerdicts;

namespace ExoSharp.Tests.Executive
{
    internal static class Libpcap
    {
        public const string LibpcapVersion = "1.10.3-1";
        public const string TcpdumpVersion = "4.99.3-1";

        public static readonly string Scratch = Path.Combine(Path.GetTempPath(), "exosharp-executive");
        private static readonly Lazy<string> HelperPath = new Lazy<string>(BuildHelper);
        private static readonly Lazy<string[]> CapturePaths = new Lazy<string[]>(FetchCaptures);

        public static string Helper => HelperPath.Value;

        /// <summary>Classic pcap captures from the Debian packages, sorted by path.</summary>
        public static string[] Captures => CapturePaths.Value;

        public static (int Status, string Output, string Error) Execute(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            using Process process = Process.Start(start);
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }

        public static string InstalledVersion(string package)
        {
            var result = Execute("dpkg-query", "-W", "-f=${Status}|${Version}", package);
            if (result.Status != 0 || !result.Output.StartsWith("install ok installed|")) return null;
            return result.Output.Substring(result.Output.IndexOf('|') + 1);
        }

        /// <summary>Installs libpcap-dev and tcpdump at the pinned versions if absent; throws on a mismatch.</summary>
        public static void EnsurePackages()
        {
            lock (Scratch)
            {
                if (InstalledVersion("libpcap-dev") == null || InstalledVersion("tcpdump") == null)
                {
                    var install = Execute("apt-get", "install", "-y", "-q", "libpcap-dev=" + LibpcapVersion, "tcpdump=" + TcpdumpVersion);
                    if (install.Status != 0)
                    {
                        Execute("apt-get", "update", "-q");
                        install = Execute("apt-get", "install", "-y", "-q", "libpcap-dev=" + LibpcapVersion, "tcpdump=" + TcpdumpVersion);
                    }
                    if (install.Status != 0) throw new InvalidOperationException("cannot install libpcap-dev and tcpdump (run as root): " + install.Error);
                }
                Check("libpcap-dev", LibpcapVersion);
                Check("tcpdump", TcpdumpVersion);
            }
        }

        private static void Check(string package, string expected)
        {
            string found = InstalledVersion(package);
            if (found != expected)
                throw new InvalidOperationException(package + " " + (found ?? "(missing)") + " is installed; these tests are pinned to " + expected);
        }

        private static string BuildHelper()
        {
            EnsurePackages();
            Directory.CreateDirectory(Scratch);
            string source = Path.Combine(AppContext.BaseDirectory, "pcap_verdicts.c");
            string binary = Path.Combine(Scratch, "pcap_verdicts");
            var result = Execute("gcc", "-O1", "-Wall", "-o", binary, source, "-lpcap");
            if (result.Status != 0) throw new InvalidOperationException("gcc failed: " + result.Error);
            return binary;
        }

        private static string[] FetchCaptures()
        {
            string directory = AppContext.BaseDirectory;
            while (directory != null && !File.Exists(Path.Combine(directory, "tools", "captures.sh"))) directory = Path.GetDirectoryName(directory);
            if (directory == null) throw new InvalidOperationException("tools/captures.sh not found above " + AppContext.BaseDirectory);
            var result = Execute("bash", Path.Combine(directory, "tools", "captures.sh"));
            if (result.Status != 0) throw new InvalidOperationException("tools/captures.sh failed: " + result.Error);
            return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        /// <summary>libpcap's program (as -dd text) and verdicts for an expression on a capture; null program if refused.</summary>
        public static (string Program, uint[] Verdicts, string Error) Compile(string capture, string expression)
        {
            var result = Execute(Helper, "compile", capture, expression);
            if (result.Status == 3) return (null, null, result.Error);
            if (result.Status != 0 && result.Status != 4) throw new InvalidOperationException("pcap_verdicts failed: " + result.Error);
            int split = result.Output.IndexOf("--\n", StringComparison.Ordinal);
            string program = result.Output.Substring(0, split);
            uint[] verdicts = result.Output.Substring(split + 3).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToArray();
            return (program, verdicts, null);
        }

        /// <summary>libpcap's bpf_filter verdicts for a classic program on a capture.</summary>
        public static uint[] Run(string capture, ExoSharp.Executive.Bytecode.Instruction[] program)
        {
            var text = new StringBuilder();
            text.Append(program.Length).Append('\n');
            foreach (var insn in program) text.Append(insn.Code).Append(' ').Append(insn.JumpTrue).Append(' ').Append(insn.JumpFalse).Append(' ').Append(insn.K).Append('\n');
            string path = Path.Combine(Scratch, "program-" + Environment.CurrentManagedThreadId + "-" + Guid.NewGuid().ToString("N") + ".ddd");
            File.WriteAllText(path, text.ToString());
            try
            {
                var result = Execute(Helper, "run", capture, path);
                if (result.Status != 0 && result.Status != 4) throw new InvalidOperationException("pcap_verdicts run failed: " + result.Error);
                return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToArray();
            }
            finally
            {
                File.Delete(path);
            }
        }

        /// <summary>`tcpdump -dd -y EN10MB expression`, loaded.</summary>
        public static ExoSharp.Executive.Bytecode.Instruction[] Dd(string expression) =>
            TryDd(expression) ?? throw new InvalidOperationException("tcpdump -dd refused " + expression);

        /// <summary>`tcpdump -dd -y EN10MB expression`, loaded; null if tcpdump refuses it.</summary>
        public static ExoSharp.Executive.Bytecode.Instruction[] TryDd(string expression)
        {
            EnsurePackages();
            var result = Execute("tcpdump", "-dd", "-y", "EN10MB", expression);
            if (result.Status != 0) return null;
            var program = ProgramText.Parse(Encoding.ASCII.GetBytes(result.Output), out var parsed);
            if (program == null) throw new InvalidOperationException(parsed.Describe());
            return program;
        }

        public static PcapFile ReadCapture(string path)
        {
            // A damaged last record (truncated_dns_2.pcap has one) ends the capture, as in libpcap.
            PcapFile file = PcapFile.Read(File.ReadAllBytes(path), out string error);
            if (file == null) throw new InvalidOperationException(path + ": " + error);
            return file;
        }
    }
}
