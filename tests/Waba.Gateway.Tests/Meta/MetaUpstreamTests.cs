using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Waba.Gateway.Tests.Dialects;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>A fake Graph API on 127.0.0.1 following Meta's documented contract: records what it is sent and answers as told.</summary>
public sealed class FakeGraph : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGraph(WebApplication app) => _app = app;

    public sealed record GraphCall(string Method, string Path, string Authorization, string Body);

    public ConcurrentQueue<GraphCall> Calls { get; } = new();

    /// <summary>"ok", "error" (Meta's 400 with code 131030), "down" (500) or "slow" (answers after 3 s).</summary>
    public string Mode { get; set; } = "ok";

    public string BaseUrl => _app.Urls.First();

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeGraph(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        Calls.Enqueue(new GraphCall(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
        switch (Mode)
        {
            case "error":
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"error":{"message":"(#131030) Recipient phone number not in allowed list","type":"OAuthException","code":131030,"error_data":{"messaging_product":"whatsapp","details":"Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again."},"fbtrace_id":"AbCdEfGh123"}}""");
                return;
            case "down":
                context.Response.StatusCode = 500;
                return;
            case "slow":
                await Task.Delay(3000);
                break;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"messaging_product":"whatsapp","contacts":[{"input":"4915112345678","wa_id":"4915112345678"}],"messages":[{"id":"wamid.FROM-META-{{Guid.NewGuid():N}}"}]}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Issue 6 (upstream meta): what the gateway forwards to Meta, and how Meta's answers come back.</summary>
public sealed class MetaUpstreamTests : IAsyncLifetime
{
    private const string Token = "EAAG-system-user-token-for-tests";
    private FakeGraph _graph = null!;
    private GatewayServer _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Meta:BaseUrl"] = _graph.BaseUrl,
            ["Meta:GraphVersion"] = "v21.0",
            ["Meta:TokenEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Meta:Timeout"] = "500ms",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private async Task<(TestNumber Number, string MetaId)> MetaNumberAsync(string hosting)
    {
        var wabaId = await _gateway.CreateWabaAsync();
        var metaId = "10" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) + "0001";
        var created = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers", new
        {
            phone_number = "4915" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            hosting_type = hosting,
            upstream = "meta",
            meta_phone_number_id = metaId,
            meta_waba_id = "102290129340398",
            access_token = Token,
        }), 201);
        Assert.Equal(metaId, created.GetProperty("phone_number_id").GetString());
        Assert.DoesNotContain(Token, created.GetRawText(), StringComparison.Ordinal);
        var id = created.GetProperty("id").GetString()!;
        var key = (await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{id}/api_keys"), 201)).GetProperty("api_key").GetString()!;
        return (new TestNumber(id, metaId, wabaId, "", key), metaId);
    }

    public static TheoryData<string, string> ValidCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in MessageTypeValidationTests.Cases)
        {
            if (row.Data.Item3 == "ok")
            {
                data.Add(row.Data.Item1, row.Data.Item2);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public async Task EveryMessageType_BothDialects_IsForwardedToMetaInTheCloudShape(string type, string members)
    {
        foreach (var hosting in new[] { "cloud", "on_premise" })
        {
            var (number, metaId) = await MetaNumberAsync(hosting);
            var body = hosting == "cloud"
                ? $$"""{"messaging_product": "whatsapp", "to": "4915112345678", "type": "{{type}}", {{members}}}"""
                : $$"""{"to": "4915112345678", "type": "{{type}}", {{members}}}""";
            _graph.Calls.Clear();

            var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, hosting == "cloud" ? "/messages" : "/v1/messages", number.ApiKey, rawBody: body),
                TestContext.Current.CancellationToken);

            Assert.StartsWith("wamid.FROM-META-", (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("messages")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
            var call = Assert.Single(_graph.Calls);
            Assert.Equal("POST", call.Method);
            Assert.Equal($"/v21.0/{metaId}/messages", call.Path);
            Assert.Equal($"Bearer {Token}", call.Authorization);
            var expected = JsonNode.Parse(body)!.AsObject();
            expected["messaging_product"] = "whatsapp";
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(call.Body)), $"forwarded {call.Body}");
        }
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task MetasRefusal_ComesBackWithItsCodeMessageAndTrace(string hosting)
    {
        var (number, _) = await MetaNumberAsync(hosting);
        _graph.Mode = "error";
        var response = await _gateway.PostAsync(hosting == "cloud" ? "/messages" : "/v1/messages", number.ApiKey,
            new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "hi" } });
        var body = await GatewayServer.ReadJsonAsync(response, 400);
        if (hosting == "cloud")
        {
            var error = body.GetProperty("error");
            Assert.Equal(131030, error.GetProperty("code").GetInt32());
            Assert.Equal("(#131030) Recipient phone number not in allowed list", error.GetProperty("message").GetString());
            Assert.Equal("AbCdEfGh123", error.GetProperty("fbtrace_id").GetString());
        }
        else
        {
            var error = body.GetProperty("errors")[0];
            Assert.Equal(131030, error.GetProperty("code").GetInt32());
            Assert.StartsWith("Recipient phone number not in allowed list", error.GetProperty("details").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("down", 502)]
    [InlineData("slow", 504)]
    public async Task MetaDownOrSlow_IsNotRetried_AndAnswers502Or504(string mode, int status)
    {
        var (number, _) = await MetaNumberAsync("cloud");
        _graph.Mode = mode;
        _graph.Calls.Clear();
        var response = await _gateway.PostAsync("/messages", number.ApiKey, new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "hi" } });
        Assert.Equal(status, (int)response.StatusCode);
        Assert.True((await GatewayServer.ReadJsonAsync(response, status)).TryGetProperty("error", out _));
        Assert.Single(_graph.Calls); // a retry could send the message twice
    }

    [Fact]
    public async Task AccessToken_IsStoredEncrypted()
    {
        await MetaNumberAsync("cloud");
        var database = await File.ReadAllBytesAsync(Path.Combine(_gateway.Folder, "gateway.db"), TestContext.Current.CancellationToken);
        var wal = Path.Combine(_gateway.Folder, "gateway.db-wal");
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal, TestContext.Current.CancellationToken) : [];
        var token = Encoding.UTF8.GetBytes(Token);
        Assert.Equal(-1, database.AsSpan().IndexOf(token));
        Assert.Equal(-1, walBytes.AsSpan().IndexOf(token));
    }

    [Fact]
    public async Task MetaNumber_WithoutCredentials_IsRefused()
    {
        var wabaId = await _gateway.CreateWabaAsync();
        var response = await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers",
            new { phone_number = "4915100012345", hosting_type = "cloud", upstream = "meta" });
        var problem = await GatewayServer.ReadJsonAsync(response, 400);
        Assert.Contains("access_token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
