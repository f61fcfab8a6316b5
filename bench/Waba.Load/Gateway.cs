using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Waba.Load;

/// <summary>Starts a gateway for a workload and provisions a number through its admin API.</summary>
internal static class Gateway
{
    public const string AdminToken = "bench-admin-token-0123456789";

    public static string[] Args(string folder, string? postgres, params string[] extra) =>
    [
        "--urls", "http://127.0.0.1:0", "--Admin:Token", AdminToken, "--Sandbox:SeedOnEmptyDatabase", "false",
        // WABA_BENCH_LOG_LEVEL=Information measures the shipped default (per-message logs on); Warning keeps them off.
        "--Logging:LogLevel:Default", Environment.GetEnvironmentVariable("WABA_BENCH_LOG_LEVEL") ?? "Warning", "--Media:Path", Path.Combine(folder, "media"),
        .. postgres is null
            ? new[] { "--Storage:Sqlite:Path", Path.Combine(folder, "gateway.db") }
            : ["--Storage:Provider", "postgres", "--Storage:Postgres:ConnectionString", postgres],
        .. extra,
    ];

    public static Task<ChildProcess> StartAsync(string folder, string? postgres, params string[] extra) =>
        ChildProcess.StartAsync("Waba.Gateway.dll", folder, Args(folder, postgres, extra));

    /// <summary>Creates a WABA and one number; returns its id and API key.</summary>
    public static async Task<(string Id, string Key)> ProvisionAsync(HttpClient http, string hostingType, string phone)
    {
        var waba = (await Admin(http, "/admin/v1/wabas", new { name = "Bench" })).GetProperty("id").GetString();
        var id = (await Admin(http, $"/admin/v1/wabas/{waba}/phone_numbers", new { phone_number = phone, hosting_type = hostingType })).GetProperty("id").GetString()!;
        var key = (await Admin(http, $"/admin/v1/phone_numbers/{id}/api_keys", null)).GetProperty("api_key").GetString()!;
        return (id, key);
    }

    public static async Task SetWebhookAsync(HttpClient http, string key, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/configs/webhook") { Content = JsonContent.Create(new { url }) };
        request.Headers.Add("D360-API-KEY", key);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>One WABA with <paramref name="count"/> numbers, each with its own key, provisioned 8 at a time.</summary>
    public static async Task<IReadOnlyList<(string Id, string Key)>> ProvisionManyAsync(HttpClient http, string hostingType, int count, long firstPhone)
    {
        var waba = (await Admin(http, "/admin/v1/wabas", new { name = "Bench" })).GetProperty("id").GetString();
        var numbers = new (string Id, string Key)[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var phone = (firstPhone + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var id = (await Admin(http, $"/admin/v1/wabas/{waba}/phone_numbers", new { phone_number = phone, hosting_type = hostingType })).GetProperty("id").GetString()!;
            numbers[i] = (id, (await Admin(http, $"/admin/v1/phone_numbers/{id}/api_keys", null)).GetProperty("api_key").GetString()!);
        });
        return numbers;
    }

    private static async Task<JsonElement> Admin(HttpClient http, string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static HttpRequestMessage Inbound(string key, long i) =>
        new(HttpMethod.Post, "/sandbox/v1/inbound")
        {
            Headers = { { "D360-API-KEY", key } },
            Content = new StringContent($$$"""{"from":"4915199999999","name":"Bench","type":"text","text":{"body":"event {{{i}}}"}}""",
                new MediaTypeHeaderValue("application/json")),
        };
}
