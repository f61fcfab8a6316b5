using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Waba.Gateway.Hosting;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>A number provisioned through the admin API, with its one-time API key.</summary>
public sealed record TestNumber(string Id, string PhoneNumberId, string WabaId, string PhoneNumber, string ApiKey);

/// <summary>The real gateway on Kestrel at 127.0.0.1, with its own SQLite file in a temporary folder.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly WebApplication _app;
    private static int s_numberSequence = 1000;

    private GatewayServer(WebApplication app, string folder)
    {
        _app = app;
        Folder = folder;
        BaseAddress = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;
    public HttpClient Http { get; }
    public string Folder { get; }

    /// <summary>Starts a gateway; <paramref name="settings"/> are configuration keys such as <c>Webhooks:RetryDelays</c>.</summary>
    public static async Task<GatewayServer> StartAsync(IDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("waba-test-").FullName;
        var config = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:Sqlite:Path"] = Path.Combine(folder, "gateway.db"),
            ["Media:Path"] = Path.Combine(folder, "media"),
            ["Admin:Token"] = AdminToken,
            ["Sandbox:SeedOnEmptyDatabase"] = "false",
            ["Sandbox:SentDelay"] = "10ms",
            ["Sandbox:DeliveredDelay"] = "20ms",
            ["Sandbox:ReadDelay"] = "30ms",
            ["Sandbox:TemplateApprovalDelay"] = "0s",
            ["Webhooks:RetryDelays"] = "100ms",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }
        var app = GatewayApplication.Create([.. config.Select(kv => $"--{kv.Key}={kv.Value}")], services);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new GatewayServer(app, folder);
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? apiKey, object? json = null, string? rawBody = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Add("D360-API-KEY", apiKey);
        }
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }
        else if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, new MediaTypeHeaderValue("application/json"));
        }
        return request;
    }

    public Task<HttpResponseMessage> PostAsync(string path, string? apiKey, object json) =>
        Http.SendAsync(Request(HttpMethod.Post, path, apiKey, json), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? json = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = json is null ? null : JsonContent.Create(json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<string> CreateWabaAsync(string name = "Acme")
    {
        var response = await AdminAsync(HttpMethod.Post, "/admin/v1/wabas", new { name });
        return (await ReadJsonAsync(response, 201)).GetProperty("id").GetString()!;
    }

    /// <summary>Creates a sandbox number (in a new WABA unless one is given) and an API key for it.</summary>
    public async Task<TestNumber> CreateNumberAsync(string hostingType, string? wabaId = null)
    {
        wabaId ??= await CreateWabaAsync();
        var phone = "49151" + Interlocked.Increment(ref s_numberSequence).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var created = await ReadJsonAsync(await AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers",
            new { phone_number = phone, hosting_type = hostingType, upstream = "sandbox" }), 201);
        var id = created.GetProperty("id").GetString()!;
        var key = await ReadJsonAsync(await AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{id}/api_keys"), 201);
        return new TestNumber(id, created.GetProperty("phone_number_id").GetString()!, wabaId, phone, key.GetProperty("api_key").GetString()!);
    }

    public async Task SetNumberWebhookAsync(TestNumber number, string url, object? headers = null) =>
        await ReadJsonAsync(await PostAsync("/v1/configs/webhook", number.ApiKey, new { url, headers }), 200);

    public async Task SetWabaWebhookAsync(TestNumber number, string url) =>
        await ReadJsonAsync(await PostAsync("/waba_webhook", number.ApiKey, new { url }), 200);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, int expectedStatus)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
