using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Waba.Client.Tests;

/// <summary>
/// Issue 22: every C# example of docs/sdk.md, taken from the doc itself, builds as a customer's own project would:
/// new console, web and xunit projects outside the repository, against the packages `dotnet pack` writes, with
/// nothing but the example's own `using` lines and the SDK's implicit ones. The test project's examples then run.
/// Restores read only the packed folder and this machine's NuGet cache: nothing is fetched from elsewhere.
/// </summary>
public sealed partial class SdkDocTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("waba-sdkdoc-").FullName;

    [Fact]
    public async Task Every_example_in_sdk_md_builds_against_the_packages_and_the_tests_pass()
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(Repository, "docs", "sdk.md"), Ct);
        var blocks = CSharpBlock().Matches(doc).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 5, "sdk.md has fewer examples than expected");
        var files = new Dictionary<string, List<(string Name, string Code)>>();
        foreach (var block in blocks)
        {
            var header = Header().Match(block);
            Assert.True(header.Success, $"an example of sdk.md does not say which file and project it is:\n{block}");
            if (!files.TryGetValue(header.Groups[2].Value, out var project))
            {
                files[header.Groups[2].Value] = project = [];
            }
            project.Add((header.Groups[1].Value, block));
        }
        Assert.Equal(["console", "test", "web"], files.Keys.Order());
        // The doc's global.json line, as a customer would copy it.
        var globalJson = Regex.Match(doc, "```json\n(.*?\"runner\".*?)\n```", RegexOptions.Singleline);
        Assert.True(globalJson.Success, "sdk.md shows no global.json with the test runner");

        // The packages, with a version of their own so no cached copy stands in for them.
        var version = $"0.0.0-doc.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var feed = Path.Combine(_folder, "feed");
        await RunAsync(Repository, "pack", "WabaGateway.slnx", "--no-build", "-c", Configuration, "-o", feed, $"-p:Version={version}");
        Assert.Contains(Directory.GetFiles(feed), f => f.EndsWith($"Waba.Testing.{version}.nupkg", StringComparison.Ordinal));
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(_folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="artifacts" value="{feed}" />
                <add key="cache" value="{cache}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="cache" value="{cache}" />
              </fallbackPackageFolders>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(_folder, "packages")}" />
              </config>
            </configuration>
            """, Ct);

        var xunit = XDocument.Load(Path.Combine(Repository, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "xunit.v3").Attribute("Version")!.Value;
        WriteProject("console", "Microsoft.NET.Sdk", "<OutputType>Exe</OutputType>", ("Waba.Client", version));
        WriteProject("web", "Microsoft.NET.Sdk.Web", "", ("Waba.Client", version), ("Waba.Client.AspNetCore", version));
        WriteProject("test", "Microsoft.NET.Sdk", "<OutputType>Exe</OutputType><IsTestProject>true</IsTestProject>",
            ("xunit.v3", xunit), ("Waba.Testing", version), ("Waba.Client", version));
        await File.WriteAllTextAsync(Path.Combine(_folder, "test", "global.json"), globalJson.Groups[1].Value, Ct);
        foreach (var (project, sources) in files)
        {
            foreach (var (name, code) in sources)
            {
                await File.WriteAllTextAsync(Path.Combine(_folder, project, name), code, Ct);
            }
        }

        foreach (var project in files.Keys.Order())
        {
            await RunAsync(Path.Combine(_folder, project), "build", "-nologo", "-v", "q");
        }
        var tests = await RunAsync(Path.Combine(_folder, "test"), "test", "--no-build");
        Assert.Matches(@"succeeded: +2\b|passed: +2\b|Passed! .*Passed: +2\b|total: 2", tests);
    }

    private void WriteProject(string name, string sdk, string properties, params (string Id, string Version)[] packages)
    {
        Directory.CreateDirectory(Path.Combine(_folder, name));
        var references = string.Join("\n    ", packages.Select(p => $"""<PackageReference Include="{p.Id}" Version="{p.Version}" />"""));
        File.WriteAllText(Path.Combine(_folder, name, $"{name}.csproj"), $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>Runs <c>dotnet</c> with a clean build environment (none of this test host's MSBuild or test-platform variables).</summary>
    private static async Task<string> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
            || k is "DOTNET_HOST_PATH" or "NUGET_PACKAGES").ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} in {workingDirectory} exited {process.ExitCode}:\n{text}");
        return text;
    }

    [GeneratedRegex(@"```csharp\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^// (\S+\.cs) in the (\w+) project")]
    private static partial Regex Header();

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string Repository
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "WabaGateway.slnx")))
            {
                folder = folder.Parent;
            }
            return folder?.FullName ?? throw new InvalidOperationException("WabaGateway.slnx not found above the test's folder");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
