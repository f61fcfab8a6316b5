using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>
/// A gateway connected to a fake Graph API standing in for Meta: app secret and verify token set, tokens encrypted, and
/// helpers for what a real setup does — creating <c>meta</c> numbers through the admin API and posting webhooks signed as
/// Meta signs them.
/// </summary>
public sealed class MetaGateway : IAsyncDisposable
{
    public const string AppSecret = "meta-app-secret-for-tests";
    public const string VerifyToken = "verify-me";
    public const string Token = "EAAG-system-user-token-for-tests";
    public const string MetaWabaId = "102290129340398";

    private MetaGateway(FakeGraph graph, GatewayServer gateway)
    {
        Graph = graph;
        Gateway = gateway;
    }

    public FakeGraph Graph { get; }
    public GatewayServer Gateway { get; }

    public static async Task<MetaGateway> StartAsync(IDictionary<string, string>? settings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var graph = await FakeGraph.StartAsync();
        var config = new Dictionary<string, string>
        {
            ["Meta:BaseUrl"] = graph.BaseUrl,
            ["Meta:AppSecret"] = AppSecret,
            ["Meta:VerifyToken"] = VerifyToken,
            ["Meta:TokenEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Meta:Timeout"] = "2s",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }
        return new MetaGateway(graph, await GatewayServer.StartAsync(config, services));
    }

    /// <summary>A <c>meta</c> number (in a new WABA unless one is given) with its API key; its phone-number id is Meta's.</summary>
    public async Task<TestNumber> NumberAsync(string hosting, string? wabaId = null, string metaWabaId = MetaWabaId)
    {
        wabaId ??= await Gateway.CreateWabaAsync();
        var metaId = "10" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture) + "0001";
        var phone = "1555" + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        var created = await GatewayServer.ReadJsonAsync(await Gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers", new
        {
            phone_number = phone,
            hosting_type = hosting,
            upstream = "meta",
            meta_phone_number_id = metaId,
            meta_waba_id = metaWabaId,
            access_token = Token,
        }), 201);
        var id = created.GetProperty("id").GetString()!;
        var key = (await GatewayServer.ReadJsonAsync(await Gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{id}/api_keys"), 201)).GetProperty("api_key").GetString()!;
        return new TestNumber(id, metaId, wabaId, phone, key);
    }

    /// <summary>Posts a body to <c>/meta/webhook</c> signed with the app secret (or <paramref name="secret"/>; null: unsigned).</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string body, string? secret = AppSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/meta/webhook") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        }
        return await Gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Meta's envelope around one change of a number (<c>value</c> is the JSON inside, after metadata).</summary>
    public static string NumberChange(TestNumber number, string value, string field = "messages") =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"{{{MetaWabaId}}}","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{number.PhoneNumber}}}","phone_number_id":"{{{number.PhoneNumberId}}}"},{{{value}}}},"field":"{{{field}}}"}]}]}""";

    /// <summary>An account-level change: <c>entry[].id</c> is the WABA at Meta and there is no metadata.</summary>
    public static string AccountChange(string field, string value, string metaWabaId = MetaWabaId) =>
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"{{{metaWabaId}}}","time":1764763200,"changes":[{"value":{{{value}}},"field":"{{{field}}}"}]}]}""";

    /// <summary>An inbound text message from a user, as Meta sends it.</summary>
    public static string TextFrom(string waId, string messageId, string text, string name = "Sheena Nelson") =>
        Members($$$"""{"contacts":[{"profile":{"name":"{{{name}}}"},"wa_id":"{{{waId}}}"}],"messages":[{"from":"{{{waId}}}","id":"{{{messageId}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","type":"text","text":{"body":"{{{text}}}"}}]}""");

    /// <summary>The members of a JSON object, without its braces, to place beside <c>metadata</c> in <see cref="NumberChange"/>.</summary>
    public static string Members(string jsonObject) => jsonObject.Trim()[1..^1];

    public Task<HttpResponseMessage> GraphAsync(HttpMethod method, string path, string apiKey, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return Gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string apiKey, string? json = null) =>
        Gateway.Http.SendAsync(GatewayServer.Request(method, path, apiKey, rawBody: json), TestContext.Current.CancellationToken);

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
