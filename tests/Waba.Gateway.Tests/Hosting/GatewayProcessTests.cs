using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Hosting;

/// <summary>The gateway as a newcomer and an operator meet it: its own process, its printed keys, a hard kill.</summary>
public sealed partial class GatewayProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FirstStart_OnEmptyDatabase_PrintsTwoWorkingKeysAndACurlLine()
    {
        var folder = Directory.CreateTempSubdirectory("waba-seed-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(folder, "--urls", "http://127.0.0.1:0");

        await gateway.WaitForLineAsync(l => l.Contains("curl -s", StringComparison.Ordinal), Patience);
        var output = string.Join("\n", gateway.Output);
        var keys = KeyLine().Matches(output).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Contains($"curl -s {gateway.BaseAddress.ToString().TrimEnd('/')}/messages -H 'D360-API-KEY: {keys[0]}'", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "data", "waba.db")), "the default database is data/waba.db under the working directory");

        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var cloud = await SendAsync(http, "/messages", keys[0], new { messaging_product = "whatsapp", to = "4915100000000", type = "text", text = new { body = "Hello" } });
        Assert.Equal(200, (int)cloud.StatusCode);
        var onPremise = await SendAsync(http, "/v1/messages", keys[1], new { to = "4915100000000", type = "text", text = new { body = "Hello" } });
        Assert.Equal(200, (int)onPremise.StatusCode);
    }

    /// <summary>Issue 22 (1, 6): the first start gives a working admin credential, and names the page and the reference.</summary>
    [Fact]
    public async Task FirstStart_WithoutAdminToken_PrintsAnAdminKeyThatWorks_AndThePageAndDocs()
    {
        var folder = Directory.CreateTempSubdirectory("waba-seed-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(folder, "--urls", "http://127.0.0.1:0");

        await gateway.WaitForLineAsync(l => l.Contains("curl -s", StringComparison.Ordinal), Patience);
        var output = string.Join("\n", gateway.Output);
        var adminKey = AdminKeyLine().Match(output).Groups[1].Value;
        Assert.StartsWith("waba_admin_", adminKey, StringComparison.Ordinal);
        var address = gateway.BaseAddress.ToString().TrimEnd('/');
        Assert.Contains($"{address}/sandbox", output, StringComparison.Ordinal);
        Assert.Contains($"{address}/docs", output, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/phone_numbers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var numbers = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)numbers.StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/phone_numbers");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey[..^1] + (adminKey[^1] == 'a' ? 'b' : 'a'));
        Assert.Equal(401, (int)(await http.SendAsync(wrong, TestContext.Current.CancellationToken)).StatusCode);
        Assert.DoesNotContain(adminKey, string.Join("\n", gateway.Output.Where(l => l.Contains("info:", StringComparison.Ordinal) || l.Contains("warn:", StringComparison.Ordinal))),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondStart_OnSameDatabase_PrintsNoKeys()
    {
        var folder = Directory.CreateTempSubdirectory("waba-seed-").FullName;
        await using (var first = await GatewayProcess.StartAsync(folder, "--urls", "http://127.0.0.1:0"))
        {
            await first.WaitForLineAsync(l => l.Contains("curl -s", StringComparison.Ordinal), Patience);
        }
        await using var second = await GatewayProcess.StartAsync(folder, "--urls", "http://127.0.0.1:0");
        await second.WaitForLineAsync(l => l.Contains("Application started", StringComparison.Ordinal), Patience);
        Assert.DoesNotContain(second.Output, l => l.Contains("D360-API-KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gateway_KilledWhileReceiverDown_DeliversEveryQueuedEventAfterRestart()
    {
        const int Events = 200;
        var folder = Directory.CreateTempSubdirectory("waba-kill-").FullName;
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Admin:Token", GatewayServer.AdminToken, "--Sandbox:SeedOnEmptyDatabase", "false",
            "--Storage:Sqlite:Path", Path.Combine(folder, "gateway.db"), "--Webhooks:RetryDelays", "200ms", "--Logging:LogLevel:Default", "Warning",
        ];
        var receiverPort = WebhookReceiver.FreePort();

        var first = await GatewayProcess.StartAsync(folder, args);
        TestNumber number;
        using (var http = new HttpClient { BaseAddress = first.BaseAddress })
        {
            number = await first.CreateNumberAsync("on_premise", "4915100000077");
            var set = await SendAsync(http, "/v1/configs/webhook", number.ApiKey, new { url = $"http://127.0.0.1:{receiverPort}/hook" });
            Assert.Equal(200, (int)set.StatusCode);
            for (var i = 0; i < Events; i++)
            {
                var response = await SendAsync(http, "/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = $"event {i}" } });
                Assert.Equal(202, (int)response.StatusCode);
            }
        }
        await Task.Delay(500, TestContext.Current.CancellationToken); // some attempts fail against the closed port
        first.Kill();
        await first.DisposeAsync();

        await using var second = await GatewayProcess.StartAsync(folder, args);
        await using var receiver = await WebhookReceiver.StartAsync(receiverPort);

        var received = await receiver.WaitForAsync(
            r => r.Select(x => x.EventId).Distinct().Count() >= Events, Patience, $"{Events} distinct events");
        var bodies = received.Select(r => r.Json.GetProperty("messages")[0].GetProperty("text").GetProperty("body").GetString()!).ToHashSet();
        Assert.Equal(Enumerable.Range(0, Events).Select(i => $"event {i}").ToHashSet(), bodies);
    }

    [Fact]
    public async Task Gateway_KilledTwiceDuringDelivery_DeliversEveryOneOf5000EventsAtLeastOnce()
    {
        const int Events = 5000;
        var folder = Directory.CreateTempSubdirectory("waba-crash-").FullName;
        string[] args =
        [
            "--urls", "http://127.0.0.1:0", "--Admin:Token", GatewayServer.AdminToken, "--Sandbox:SeedOnEmptyDatabase", "false",
            "--Storage:Sqlite:Path", Path.Combine(folder, "gateway.db"), "--Webhooks:RetryDelays", "200ms",
            "--Webhooks:EndpointBackoffMax", "1s", "--Logging:LogLevel:Default", "Warning",
        ];
        var receiverPort = WebhookReceiver.FreePort();

        var gateway = await GatewayProcess.StartAsync(folder, args);
        using (var http = new HttpClient { BaseAddress = gateway.BaseAddress })
        {
            var number = await gateway.CreateNumberAsync("on_premise", "4915100000066");
            Assert.Equal(200, (int)(await SendAsync(http, "/v1/configs/webhook", number.ApiKey, new { url = $"http://127.0.0.1:{receiverPort}/hook" })).StatusCode);
            await Parallel.ForAsync(0, Events, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (i, _) =>
            {
                var response = await SendAsync(http, "/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = $"event {i}" } });
                Assert.Equal(202, (int)response.StatusCode);
            });
        }
        for (var kill = 0; kill < 2; kill++)
        {
            await Task.Delay(700, TestContext.Current.CancellationToken); // the worker is attempting against the closed port
            gateway.Kill();
            await gateway.DisposeAsync();
            gateway = await GatewayProcess.StartAsync(folder, args);
        }

        await using (gateway)
        await using (var receiver = await WebhookReceiver.StartAsync(receiverPort))
        {
            var received = await receiver.WaitForAsync(r => r.Select(x => x.EventId).Distinct().Count() >= Events, TimeSpan.FromMinutes(3), $"{Events} distinct events");
            var bodies = received.Select(r => r.Json.GetProperty("messages")[0].GetProperty("text").GetProperty("body").GetString()!).ToHashSet();
            Assert.Equal(Events, bodies.Count);
            var duplicates = received.Count - received.Select(r => r.EventId).Distinct().Count();
            TestContext.Current.TestOutputHelper?.WriteLine($"{Events} events, {received.Count} requests received, {duplicates} duplicates");
            Console.WriteLine($"crash test: {Events} events delivered after two SIGKILLs; {duplicates} duplicate deliveries");
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("D360-API-KEY", key);
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [GeneratedRegex(@"D360-API-KEY\s+([A-Za-z0-9]{52})\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"Admin key\s+(waba_admin_[A-Za-z0-9]+)")]
    private static partial Regex AdminKeyLine();
}
