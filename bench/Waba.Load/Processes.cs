using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Waba.Load;

/// <summary>A child process of the run (gateway or baseline), stopped when the run ends.</summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ChildProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;
    public int Id => _process.Id;

    public static async Task<ChildProcess> StartAsync(string dll, string workingDirectory, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_gcServer"] = "0";
        var child = new ChildProcess(Process.Start(start)!);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            lock (child._output)
            {
                var line = child._output.Select(l => Listening().Match(l)).FirstOrDefault(m => m.Success);
                if (line is not null)
                {
                    child.BaseAddress = new Uri(line.Groups[1].Value);
                    return child;
                }
            }
            if (child._process.HasExited)
            {
                break;
            }
            await Task.Delay(10);
        }
        throw new InvalidOperationException($"{dll} did not start:\n" + string.Join("\n", child._output));
    }

    /// <summary>Peak resident memory in MB (VmHWM).</summary>
    public double PeakRssMb() =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output) { _output.Add(line); }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
