using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using DecisionRouting.Tests.Analyzers;
using DecisionRouting.Tests.Support;

namespace DecisionRouting.Tests.Embedding;

/// <summary>
/// Issue 17, cold start: the <c>DecisionRouting</c> package carries ReadyToRun (precompiled) copies of its two assemblies
/// in <c>runtimes/&lt;rid&gt;/lib/net10.0</c> beside the IL-only <c>lib/net10.0</c>. Checked on the packed file (each
/// image is ReadyToRun code for its machine and OS, with the metadata of lib/'s copy), and in a fresh app built against
/// the package: it loads our assembly from <c>runtimes/linux-x64</c>, the JIT compiles almost none of our methods, and
/// lib/'s IL copy still runs where no runtime folder applies.
/// </summary>
[Collection("dotnet pack")]
public sealed class PackedReadyToRunTests
{
    private static readonly string[] Assemblies = { "DecisionRouting.dll", "DecisionRouting.RuleFiles.dll" };

    /// <summary>
    /// The runtimes packed, with the PE machine each image must declare. A ReadyToRun image for another OS than Windows
    /// writes its machine XOR-ed with the OS's value (the runtime's <c>IMAGE_FILE_MACHINE_NATIVE_OS_OVERRIDE</c>):
    /// Linux 0x7B79, macOS 0x4644, Windows 0. An IL-only image declares I386 (0x14C).
    /// </summary>
    public static TheoryData<string, ushort> Runtimes { get; } = new()
    {
        { "linux-x64", (ushort)Machine.Amd64 ^ 0x7B79 },
        { "linux-arm64", (ushort)Machine.Arm64 ^ 0x7B79 },
        { "win-x64", (ushort)Machine.Amd64 },
        { "osx-arm64", (ushort)Machine.Arm64 ^ 0x4644 },
    };

    private readonly PackedPackage _package;

    public PackedReadyToRunTests(PackedPackage package) => _package = package;

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void Each_runtime_folder_holds_ReadyToRun_images_with_lib_s_identity_and_public_api(string runtime, ushort machine)
    {
        using var nupkg = ZipFile.OpenRead(_package.PackageFile("DecisionRouting"));
        var folder = $"runtimes/{runtime}/lib/net10.0/";
        Assert.Equal(Assemblies.Order(StringComparer.Ordinal), nupkg.Entries.Where(e => e.FullName.StartsWith(folder, StringComparison.Ordinal)).Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var assembly in Assemblies)
        {
            using var il = new PEReader(Read(nupkg, "lib/net10.0/" + assembly));
            using var native = new PEReader(Read(nupkg, folder + assembly));

            // The control: lib/'s copy is IL only, so the checks below tell the two apart.
            Assert.Equal(0, il.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size);
            Assert.Equal(Machine.I386, il.PEHeaders.CoffHeader.Machine);
            Assert.True(il.PEHeaders.CorHeader.Flags.HasFlag(CorFlags.ILOnly));

            Assert.True(native.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{folder}{assembly} has no ReadyToRun header");
            Assert.Equal(machine, (ushort)native.PEHeaders.CoffHeader.Machine);
            Assert.False(native.PEHeaders.CorHeader.Flags.HasFlag(CorFlags.ILOnly), $"{folder}{assembly} still says IL only");

            var ilMetadata = il.GetMetadataReader();
            var nativeMetadata = native.GetMetadataReader();
            Assert.Equal(Identity(ilMetadata), Identity(nativeMetadata));
            Assert.Equal(ilMetadata.GetGuid(ilMetadata.GetModuleDefinition().Mvid), nativeMetadata.GetGuid(nativeMetadata.GetModuleDefinition().Mvid));
            var surface = PublicSurface(ilMetadata);
            Assert.True(surface.Count > 100, $"{assembly}: only {surface.Count} public members read");
            Assert.Equal(surface, PublicSurface(nativeMetadata));
        }
    }

    [Fact]
    public void A_fresh_app_loads_our_precompiled_code_from_runtimes_linux_x64_and_lib_s_il_where_no_runtime_applies()
    {
        using var nuget = new IsolatedNuGet();
        // Portable and framework-dependent, as `dotnet new console` + `dotnet add package` make it: no runtime identifier.
        var directory = _package.NewApp("App", "Microsoft.NET.Sdk", implicitUsings: false, "DecisionRouting");
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using System;
            using System.Linq;
            using DecisionRouting.Proposals;
            using DecisionRouting.Routing;
            using DecisionRouting.RuleSets;

            var plan = new Router(RuleSet.Load(args[0])).Route(ProposalReader.ReadFile(args[1]).Proposal!);
            Console.WriteLine($"library={typeof(Router).Assembly.Location}");
            Console.WriteLine($"rulefiles={typeof(RuleSetDefinition).Assembly.Location}");
            Console.WriteLine($"steps={string.Join(",", plan.Steps.Select(s => s.Id))}");
            """);
        var (exit, output) = PackedPackage.Dotnet(nuget, directory, "build", "-c", "Release", "-nologo", "-clp:NoSummary", "--disable-build-servers", "-o", "out");
        Assert.True(exit == 0, output);

        // NuGet wrote every runtime's images as runtimeTargets of the library, and lib/ as the fallback for the others.
        var depsFile = Path.Combine(directory, "out", "App.deps.json");
        using (var deps = JsonDocument.Parse(File.ReadAllText(depsFile)))
        {
            var library = deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value.GetProperty($"DecisionRouting/{_package.Version}");
            Assert.Equal(Assemblies.Select(a => "lib/net10.0/" + a).Order(StringComparer.Ordinal), library.GetProperty("runtime").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            var targets = library.GetProperty("runtimeTargets").EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetProperty("rid").GetString());
            foreach (var runtime in Runtimes.Select(r => (string)r[0]))
            {
                foreach (var assembly in Assemblies)
                {
                    Assert.Equal(runtime, targets[$"runtimes/{runtime}/lib/net10.0/{assembly}"]);
                }
            }
        }

        var rules = Repository.PathOf("rules/partnerships/croydon");
        var sample = Repository.PathOf("samples/proposals/croydon-2013-integrated-commissioning-unit.json");
        var jitLog = Path.Combine(directory, "jit.txt");
        var precompiled = Run(directory, rules, sample, ("DOTNET_JitStdOutFile", jitLog), ("DOTNET_JitDisasmSummary", "1"));
        var expectedFolder = Path.Combine("runtimes", "linux-x64", "lib", "net10.0") + Path.DirectorySeparatorChar;
        Assert.Contains(expectedFolder + "DecisionRouting.dll", precompiled.Library, StringComparison.Ordinal);
        Assert.Contains(expectedFolder + "DecisionRouting.RuleFiles.dll", precompiled.RuleFiles, StringComparison.Ordinal);
        var jittedWithOurCode = JittedOurs(jitLog);

        // The control: the same app with ReadyToRun code ignored jits our methods itself, so the count above means something.
        var ignored = Run(directory, rules, sample, ("DOTNET_ReadyToRun", "0"), ("DOTNET_JitStdOutFile", jitLog), ("DOTNET_JitDisasmSummary", "1"));
        var jittedWithout = JittedOurs(jitLog);
        Assert.Equal(precompiled.Steps, ignored.Steps);
        Assert.True(jittedWithout > 300, $"without ReadyToRun the JIT compiled only {jittedWithout} of our methods");
        Assert.True(jittedWithOurCode * 10 < jittedWithout, $"with the package's ReadyToRun code the JIT still compiled {jittedWithOurCode} of our methods ({jittedWithout} without)");

        // Where no runtime folder applies, the host takes lib/'s IL: the same app with the runtimeTargets dropped from
        // its deps.json (what the host does for a runtime the package has no folder for) loads lib/ and routes the same.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(depsFile))!;
        var entry = json["targets"]!.AsObject().Single().Value![$"DecisionRouting/{_package.Version}"]!.AsObject();
        Assert.True(entry.Remove("runtimeTargets"));
        File.WriteAllText(depsFile, json.ToJsonString());
        var il = Run(directory, rules, sample);
        Assert.DoesNotContain("runtimes", il.Library, StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine("out", "DecisionRouting.dll"), il.Library, StringComparison.Ordinal);
        Assert.Equal(precompiled.Steps, il.Steps);
        Assert.NotEqual(string.Empty, il.Steps);
    }

    private static (string Library, string RuleFiles, string Steps) Run(string directory, string rules, string sample, params (string Name, string Value)[] environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine("out", "App.dll"), rules, sample })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the app did not finish");
        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Contains('=', StringComparison.Ordinal)).ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return (lines["library"], lines["rulefiles"], lines["steps"]);
    }

    /// <summary>How many methods of our own types the JIT compiled, from its summary (one "JIT compiled T:M" line each).</summary>
    private static int JittedOurs(string log) =>
        File.ReadLines(log).Count(l => l.Contains("JIT compiled DecisionRouting.", StringComparison.Ordinal));

    private static MemoryStream Read(ZipArchive nupkg, string entry)
    {
        var copy = new MemoryStream();
        using (var source = (nupkg.GetEntry(entry) ?? throw new InvalidOperationException($"{entry} is not in the package")).Open())
        {
            source.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }

    private static string Identity(MetadataReader metadata)
    {
        var definition = metadata.GetAssemblyDefinition();
        return $"{metadata.GetString(definition.Name)}, {definition.Version}, {Convert.ToHexString(metadata.GetBlobBytes(definition.PublicKey))}, {metadata.GetString(definition.Culture)}";
    }

    /// <summary>Every public type and its public and protected members, with their signature blobs.</summary>
    private static List<string> PublicSurface(MetadataReader metadata)
    {
        var surface = new List<string>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility is not (TypeAttributes.Public or TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem))
            {
                continue;
            }

            var name = $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}";
            surface.Add(name);
            foreach (var method in type.GetMethods().Select(metadata.GetMethodDefinition))
            {
                var access = method.Attributes & MethodAttributes.MemberAccessMask;
                if (access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem)
                {
                    surface.Add($"{name}::{metadata.GetString(method.Name)} {Convert.ToHexString(metadata.GetBlobBytes(method.Signature))}");
                }
            }

            foreach (var field in type.GetFields().Select(metadata.GetFieldDefinition))
            {
                var access = field.Attributes & FieldAttributes.FieldAccessMask;
                if (access is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem)
                {
                    surface.Add($"{name}.{metadata.GetString(field.Name)} {Convert.ToHexString(metadata.GetBlobBytes(field.Signature))}");
                }
            }
        }

        return surface;
    }
}
