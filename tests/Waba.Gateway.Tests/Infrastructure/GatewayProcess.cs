using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>The gateway as its own operating-system process (<c>dotnet Waba.Gateway.dll</c>), so a test can SIGKILL it.</summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private GatewayProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> Output
    {
        get { lock (_output) { return [.. _output]; } }
    }

    public static async Task<GatewayProcess> StartAsync(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Waba.Gateway.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        var gateway = new GatewayProcess(Process.Start(start)!);
        gateway._process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        gateway._process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();

        var listening = await gateway.WaitForLineAsync(l => ListeningLine().IsMatch(l), TimeSpan.FromSeconds(30));
        gateway.BaseAddress = new Uri(ListeningLine().Match(listening).Groups[1].Value);
        return gateway;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output) { _output.Add(line); }
        }
    }

    /// <summary>Creates a WABA, a sandbox number and an API key through the admin API (the process needs Admin:Token = GatewayServer.AdminToken).</summary>
    public async Task<TestNumber> CreateNumberAsync(string hostingType, string phoneNumber)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        async Task<System.Text.Json.JsonElement> Admin(string path, object? body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayServer.AdminToken);
            return await GatewayServer.ReadJsonAsync(await http.SendAsync(request, TestContext.Current.CancellationToken), 201);
        }
        var waba = (await Admin("/admin/v1/wabas", new { name = "Process" })).GetProperty("id").GetString()!;
        var number = await Admin($"/admin/v1/wabas/{waba}/phone_numbers", new { phone_number = phoneNumber, hosting_type = hostingType });
        var id = number.GetProperty("id").GetString()!;
        var key = (await Admin($"/admin/v1/phone_numbers/{id}/api_keys", null)).GetProperty("api_key").GetString()!;
        return new TestNumber(id, number.GetProperty("phone_number_id").GetString()!, waba, phoneNumber, key);
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            if (_process.HasExited)
            {
                break;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The gateway did not print the expected line. Its output:\n" + string.Join("\n", Output));
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine loses the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
