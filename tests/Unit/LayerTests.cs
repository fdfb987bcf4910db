// The kernel's layers depend downward only (docs/tour.md, "Layers"): X64 (the CPU) under Core (the
// kernel's logic), Devices and the kernel side of the executive beside each other on Core, Net and
// Xn on those; Boot (KernelMain, the one place that names every layer) on top, and the only one
// that may name the self-tests compiled into the image from tests/Kernel (selftest=, selfcheck=). The libraries compiled into the kernel (src/Abi, src/Shared, src/Executive, src/Xn, the
// corelib) name no kernel layer. A file's namespace mirrors its folder, and a `using` of, or a
// name qualified by, a layer its own may not depend on fails this test.
using System.Text.RegularExpressions;
using Xunit;

namespace ExoSharp.Tests.Unit;

public sealed class LayerTests
{
    /// <summary>Each kernel layer (a folder of src/Kernel, namespace ExoSharp.Kernel.Name) and the
    /// layers it may use besides itself.</summary>
    public static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["X64"] = Array.Empty<string>(),
        ["Core"] = new[] { "X64" },
        ["Devices"] = new[] { "Core", "X64" },
        ["Executive"] = new[] { "Core", "X64" },
        ["Net"] = new[] { "Devices", "Executive", "Core", "X64" },
        ["Xn"] = new[] { "Devices", "Executive", "Core", "X64" },
        ["Boot"] = new[] { "Xn", "Net", "Devices", "Executive", "Core", "X64" },
    };

    /// <summary>Libraries compiled into the kernel (and the host tests): no kernel layer at all;
    /// XN's core may use the executive's (its owns UDFs).</summary>
    private static readonly Dictionary<string, string[]> s_libraries = new()
    {
        ["src/Abi"] = new[] { "ExoSharp.Abi" },
        ["src/Shared"] = new[] { "ExoSharp.Shared" },
        ["src/Executive"] = new[] { "ExoSharp.Executive" },
        ["src/Xn"] = new[] { "ExoSharp.Xn", "ExoSharp.Executive" },
    };

    private static readonly Regex s_kernelName = new(@"\bExoSharp\.Kernel\.(?<layer>\w+)");
    private static readonly Regex s_layerQualified =
        new(@"(?<![\w.])(?<layer>X64|Core|Devices|Executive|Net|Xn|Boot)\.(?=[A-Z])");
    private static readonly Regex s_exoName = new(@"(?<![\w.])ExoSharp\.(?<name>\w+)");
    private static readonly Regex s_strings = new(@"@""(?:""""|[^""])*""|""(?:\\.|[^""\\])*""|'(?:\\.|[^'\\])+'");
    private static readonly Regex s_namespace = new(@"^namespace\s+(?<name>[\w.]+)");

    /// <summary>What in one kernel file breaks the rule for its layer (empty: nothing).</summary>
    public static List<string> KernelViolations(string layer, IEnumerable<string> codeLines)
    {
        var problems = new List<string>();
        if (!Allowed.TryGetValue(layer, out string[]? allowed))
        {
            problems.Add($"src/Kernel/{layer} is not a known layer: add it to LayerTests.Allowed and docs/tour.md");
            return problems;
        }
        foreach (string raw in codeLines)
        {
            string line = s_strings.Replace(raw, "\"\"");
            Match ns = s_namespace.Match(line);
            if (ns.Success && ns.Groups["name"].Value != "ExoSharp.Kernel." + layer)
                problems.Add($"namespace {ns.Groups["name"].Value} in src/Kernel/{layer} (must be ExoSharp.Kernel.{layer})");
            if (ns.Success) continue;
            if (layer != "Boot" && line.Contains("ExoSharp.Tests", StringComparison.Ordinal))
                problems.Add($"{layer} names the self-tests (only Boot may): {line}");
            foreach (Match m in s_kernelName.Matches(line).Concat(s_layerQualified.Matches(line)))
            {
                string used = m.Groups["layer"].Value;
                if (used != layer && !allowed.Contains(used))
                    problems.Add($"{layer} uses {used}: {line}");
            }
        }
        return problems;
    }

    /// <summary>What in one library file names something it may not (empty: nothing).</summary>
    public static List<string> LibraryViolations(string[] allowedRoots, IEnumerable<string> codeLines)
    {
        var problems = new List<string>();
        foreach (string raw in codeLines)
        {
            string line = s_strings.Replace(raw, "\"\"");
            foreach (Match m in s_exoName.Matches(line))
            {
                string name = "ExoSharp." + m.Groups["name"].Value;
                if (name != "ExoSharp.Abi" && name != "ExoSharp.Shared" && !allowedRoots.Contains(name))
                    problems.Add($"uses {name}: {line}");
            }
        }
        return problems;
    }

    [Fact]
    public void KernelLayersDependDownwardOnly()
    {
        var problems = new List<string>();
        var files = SourceTree.CSharpFiles("src/Kernel");
        Assert.True(files.Count > 50, $"only {files.Count} kernel files found under {SourceTree.Root}");
        foreach (string file in files)
        {
            string[] parts = file.Split('/');
            if (parts.Length < 4) { problems.Add($"{file}: outside any layer folder"); continue; }
            problems.AddRange(KernelViolations(parts[2], SourceTree.CodeLines(file)).Select(p => $"{file}: {p}"));
        }
        Assert.True(problems.Count == 0, "upward dependencies:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void LibrariesNameNoKernelLayer()
    {
        var problems = new List<string>();
        foreach ((string folder, string[] roots) in s_libraries)
            foreach (string file in SourceTree.CSharpFiles(folder))
                problems.AddRange(LibraryViolations(roots, SourceTree.CodeLines(file)).Select(p => $"{file}: {p}"));
        foreach (string file in SourceTree.CSharpFiles("src/Corelib"))
            problems.AddRange(LibraryViolations(Array.Empty<string>(), SourceTree.CodeLines(file))
                .Where(p => p.Contains("ExoSharp.Kernel", StringComparison.Ordinal)).Select(p => $"{file}: {p}"));
        Assert.True(problems.Count == 0, "libraries naming what they may not:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void CheckerCatchesUpwardUsingsAndCalls()
    {
        Assert.NotEmpty(KernelViolations("Core", new[] { "namespace ExoSharp.Kernel.Core", "Net.Network.Forget(env);" }));
        Assert.NotEmpty(KernelViolations("Core", new[] { "using ExoSharp.Kernel.Xn;" }));
        Assert.NotEmpty(KernelViolations("X64", new[] { "using ExoSharp.Kernel.Core;" }));
        Assert.NotEmpty(KernelViolations("Core", new[] { "ExoSharp.Kernel.Devices.VirtioBlock.Initialize();" }));
        Assert.NotEmpty(KernelViolations("Devices", new[] { "Executive.KernelExecutive.Call(env);" }));
        Assert.NotEmpty(KernelViolations("Core", new[] { "namespace ExoSharp.Kernel.Net" }));
        Assert.NotEmpty(KernelViolations("Core", new[] { "ExoSharp.Tests.Kernel.Invariants.Enable();" }));
        Assert.Empty(KernelViolations("Boot", new[] { "ExoSharp.Tests.Kernel.Invariants.Enable();" }));
        Assert.NotEmpty(LibraryViolations(new[] { "ExoSharp.Xn" }, new[] { "using ExoSharp.Kernel.Core;" }));
        // Downward, within the layer, in a comment or a string, or a member access: no problem.
        Assert.Empty(KernelViolations("Net", new[] { "using ExoSharp.Kernel.Core;", "Devices.VirtioNet.Send();", "Net.Network.Deliver();" }));
        Assert.Empty(KernelViolations("Core", new[] { "Console.Write(\"Net.Network\");", "env.Core.X = 1;", "using ExoSharp.Executive.Bytecode;" }));
        Assert.Empty(KernelViolations("Core", SourceTree.CodeLines(WriteTemp("// Net.Network.Forget(env);\n/* Xn.XnService */ int a;"))));
    }

    private static string WriteTemp(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"exosharp-layer-{Environment.ProcessId}.cs");
        File.WriteAllText(path, text);
        return path;
    }
}
