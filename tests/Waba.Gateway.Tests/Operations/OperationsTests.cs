using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Operations;

/// <summary>Issue 7: health, metrics, the OpenAPI document, JSON logs and HTTPS.</summary>
public sealed partial class OperationsTests
{
    [Fact]
    public async Task Health_And_Readiness_AnswerWhenUp()
    {
        await using var gateway = await GatewayServer.StartAsync();
        Assert.Equal("ok", await gateway.Http.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage ready;
        while ((int)(ready = await gateway.Http.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode != 200 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Equal(200, (int)ready.StatusCode);
    }

    [Fact]
    public async Task Metrics_CountersMoveAfterASend()
    {
        // Its own process: meters are process-wide, and other tests' gateways would share the counters.
        var folder = Directory.CreateTempSubdirectory("waba-metrics-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(folder,
            "--urls", "http://127.0.0.1:0", "--Admin:Token", GatewayServer.AdminToken, "--Sandbox:SeedOnEmptyDatabase", "false",
            "--Storage:Sqlite:Path", Path.Combine(folder, "gateway.db"), "--Logging:LogLevel:Default", "Warning");
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var key = (await gateway.CreateNumberAsync("cloud", "4915100000098")).ApiKey;
        var before = await ScrapeAsync(http, AcceptedCloudText());

        using var send = new HttpRequestMessage(HttpMethod.Post, "/messages")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "count me" } }),
        };
        send.Headers.Add("D360-API-KEY", key);
        Assert.Equal(200, (int)(await http.SendAsync(send, TestContext.Current.CancellationToken)).StatusCode);

        Assert.Equal(before + 1, await ScrapeAsync(http, AcceptedCloudText()));
        var text = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Matches(@"http_server_request_duration_seconds_count\{[^}]*http_response_status_code=""200""[^}]*http_route=""/messages""", text);
        Assert.Contains("waba_queue_pending", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^waba_messages_accepted_total\{[^}]*dialect=""cloud""[^}]*type=""text""[^}]*\} (\d+)", RegexOptions.Multiline)]
    private static partial Regex AcceptedCloudText();

    private static async Task<long> ScrapeAsync(HttpClient http, Regex counter)
    {
        var text = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        var match = counter.Match(text);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task OpenApi_DocumentListsEveryMappedRouteAndTheReferencePageLoads()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var document = JsonDocument.Parse(await gateway.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("Waba Gateway", root.GetProperty("info").GetProperty("title").GetString());
        var paths = root.GetProperty("paths");

        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // The scrape endpoint and the document itself are plain request delegates, not API operations.
            .Where(e => e.RoutePattern.RawText is not ("/metrics" or "/openapi/{documentName}.json"))
            // GET / only redirects to the page or the reference.
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .ToList();
        Assert.True(endpoints.Count > 20);
        foreach (var endpoint in endpoints)
        {
            // The document writes route parameters without their constraints: /{mediaId:long} is /{mediaId}.
            var path = Regex.Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}");
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the OpenAPI document");
                Assert.True(operation.TryGetProperty("responses", out _));
            }
        }

        var page = await gateway.Http.GetAsync("/docs/index.html", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task JsonLogs_AreJsonWithIds_AndCarryNoKeysOrBodies()
    {
        var folder = Directory.CreateTempSubdirectory("waba-logs-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(folder,
            "--urls", "http://127.0.0.1:0", "--Admin:Token", GatewayServer.AdminToken, "--Sandbox:SeedOnEmptyDatabase", "false",
            "--Storage:Sqlite:Path", Path.Combine(folder, "gateway.db"), "--Logging:Console:FormatterName", "json",
            "--Logging:LogLevel:Default", "Information", "--Webhooks:RetryDelays", "100ms");
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var key = (await gateway.CreateNumberAsync("cloud", "4915100000099")).ApiKey;
        using var send = new HttpRequestMessage(HttpMethod.Post, "/messages")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "top secret body" } }),
        };
        send.Headers.Add("D360-API-KEY", key);
        var sent = await GatewayServer.ReadJsonAsync(await http.SendAsync(send, TestContext.Current.CancellationToken), 200);
        var messageId = sent.GetProperty("messages")[0].GetProperty("id").GetString()!;

        await gateway.WaitForLineAsync(l => l.Contains(messageId, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        await gateway.WaitForLineAsync(l => l.Contains("evt_", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        foreach (var line in gateway.Output)
        {
            using var entry = JsonDocument.Parse(line); // every line is one JSON object
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _));
        }
        var all = string.Join("\n", gateway.Output);
        Assert.DoesNotContain(key, all, StringComparison.Ordinal);
        Assert.DoesNotContain("top secret body", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_ServesTlsFromPemCertificate()
    {
        var folder = Directory.CreateTempSubdirectory("waba-tls-").FullName;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);

        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certPath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = keyPath,
        });
        Assert.Equal("https", gateway.BaseAddress.Scheme);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = gateway.BaseAddress };
        Assert.Equal("ok", await client.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
    }
}
