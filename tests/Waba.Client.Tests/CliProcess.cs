using System.Diagnostics;
using System.Text;

namespace Waba.Client.Tests;

/// <summary>The built <c>waba</c> tool, run as a process with its own environment and an empty profile folder.</summary>
internal sealed class CliProcess
{
    private readonly Dictionary<string, string> _environment;

    public CliProcess(IDictionary<string, string>? environment = null)
    {
        ConfigHome = Directory.CreateTempSubdirectory("waba-cli-config-").FullName;
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["XDG_CONFIG_HOME"] = ConfigHome };
    }

    public string ConfigHome { get; }

    /// <summary>src/Waba.Cli/bin/&lt;configuration&gt;/net10.0/waba.dll, built by this project's reference.</summary>
    public static string ToolPath
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name;
            var repository = bin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(repository, "src", "Waba.Cli", "bin", configuration, bin.Name, "waba.dll");
        }
    }

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The machine's own settings must not leak into a test: only what the test gives.
        foreach (var name in new[] { "WABA_URL", "WABA_API_KEY", "WABA_DIALECT", "WABA_PHONE_NUMBER_ID", "WABA_ADMIN_TOKEN", "WABA_PROFILE", "WABA_WEBHOOK_SECRET" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }
        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start)!;
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    public async Task<Result> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"waba {string.Join(' ', args)}: {result}");
        return result;
    }
}
