using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Waba.Client.Tests;

/// <summary>
/// Issue 22: README's tour and its terminal section, run as written (the shell blocks taken from README.md itself)
/// against a fresh gateway started with no settings but its address, the way a newcomer meets them.
/// </summary>
public sealed partial class ReadmeTourTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _folder = Directory.CreateTempSubdirectory("waba-readme-").FullName;
    private readonly List<Process> _processes = [];

    [Fact]
    public async Task The_tour_and_the_terminal_section_work_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository, "README.md"), Ct);
        var tour = ShellBlocks(Section(readme, "## A first tour"));
        var terminal = ShellBlocks(Section(readme, "## From the terminal"));
        Assert.Equal(2, tour.Count);
        Assert.Single(terminal);

        // README's first command, without `dotnet run`'s build: the gateway as built, on an empty folder.
        var port = FreePort();
        var receiverPort = FreePort();
        var banner = await StartGatewayAsync(port);
        string Local(string script) => script.Replace("localhost:5055", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("127.0.0.1:5055", $"127.0.0.1:{port}", StringComparison.Ordinal)
            .Replace("5056", receiverPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // Step 1: "keep the Cloud number's key from its output".
        var key = Regex.Match(banner, @"Cloud number[^\n]*\n\s+D360-API-KEY\s+(\S+)").Groups[1].Value;
        var adminKey = Regex.Match(banner, @"Admin key\s+(\S+)").Groups[1].Value;
        Assert.NotEmpty(key);
        Assert.NotEmpty(adminKey);
        Assert.Contains($"http://127.0.0.1:{port}/sandbox", banner, StringComparison.Ordinal);
        var environment = new Dictionary<string, string> { ["KEY"] = key };

        // Step 2 happens on the page: the simulated user 4915199999999 writes "menu". The page's own call does it here.
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
        {
            using var write = new HttpRequestMessage(HttpMethod.Post, "/sandbox/v1/inbound")
            {
                Content = new StringContent("""{"from":"4915199999999","type":"text","text":{"body":"menu"}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            write.Headers.Add("D360-API-KEY", key);
            Assert.Equal(202, (int)(await http.SendAsync(write, Ct)).StatusCode);
        }

        // Step 3: the answer goes out.
        var sent = await BashAsync(Local(tour[0]), environment);
        Assert.StartsWith("wamid.", JsonDocument.Parse(sent).RootElement.GetProperty("messages")[0].GetProperty("id").GetString(), StringComparison.Ordinal);

        // Step 4: the webhook, and the secret README says to keep.
        var webhook = JsonDocument.Parse(await BashAsync(Local(tour[1]), environment)).RootElement;
        var secret = webhook.GetProperty("signing_secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        // The terminal section, line by line, with `waba` as the installed tool would be.
        environment["SECRET"] = secret;
        environment["WABA_URL"] = $"http://127.0.0.1:{port}";
        environment["WABA_API_KEY"] = key;
        environment["WABA_ADMIN_TOKEN"] = adminKey;
        var lines = terminal[0].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => Regex.Replace(l, @"\s+#.*$", "")).Where(l => l.StartsWith("waba ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, lines.Count);
        foreach (var line in lines)
        {
            var script = $"waba() {{ dotnet '{CliProcess.ToolPath}' \"$@\"; }}\n{Local(line)}";
            if (line.StartsWith("waba webhook listen", StringComparison.Ordinal))
            {
                // It runs until stopped: it must take the tour's webhook port and check the tour's secret on what arrives.
                var listener = StartBash(script, environment);
                await WaitForAsync(() => IsListening(receiverPort));
                await BashAsync(Local(tour[0]), environment);
                var heard = await ReadUntilAsync(listener, " signed ");
                Assert.DoesNotContain("invalid", heard, StringComparison.Ordinal);
                continue;
            }
            await BashAsync(script, environment);
        }
    }

    private async Task<string> StartGatewayAsync(int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Waba.Gateway.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var gateway = Process.Start(start)!;
        _processes.Add(gateway);
        _ = gateway.StandardError.ReadToEndAsync(Ct);
        return await ReadUntilAsync(gateway, "Application started");
    }

    private Process StartBash(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-euo");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var name in new[] { "WABA_URL", "WABA_API_KEY", "WABA_DIALECT", "WABA_PHONE_NUMBER_ID", "WABA_ADMIN_TOKEN", "WABA_PROFILE", "WABA_WEBHOOK_SECRET" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.Environment["XDG_CONFIG_HOME"] = _folder;
        start.Environment["NO_COLOR"] = "1";
        var process = Process.Start(start)!;
        _processes.Add(process);
        return process;
    }

    private async Task<string> BashAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        using var process = StartBash(script, environment);
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"`{script}` exited {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }

    /// <summary>What the process printed up to and including the first line holding <paramref name="marker"/>.</summary>
    private static async Task<string> ReadUntilAsync(Process process, string marker)
    {
        var seen = new System.Text.StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }
        Assert.Fail($"the process ended without printing '{marker}':\n{seen}");
        return "";
    }

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}'");
        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? markdown[start..] : markdown[start..end];
    }

    private static List<string> ShellBlocks(string markdown) =>
        [.. ShellBlock().Matches(markdown).Select(m => Regex.Replace(m.Groups[1].Value, @"^[ ]{3}", "", RegexOptions.Multiline))];

    [GeneratedRegex(@"```sh\n(.*?)\n\s*```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    private static string Repository
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "README.md")))
            {
                folder = folder.Parent;
            }
            return folder?.FullName ?? throw new InvalidOperationException("README.md not found above the test's folder");
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (condition())
            {
                return;
            }
            await Task.Delay(50, Ct);
        }
        Assert.Fail("the condition did not hold within 30 s");
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already disposed after it ended.
            }
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
