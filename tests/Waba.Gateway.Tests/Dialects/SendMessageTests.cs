using System.Net;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Dialects;

public sealed class SendMessageTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private TestNumber _cloud = null!;
    private TestNumber _onPremise = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync();
        var waba = await _gateway.CreateWabaAsync();
        _cloud = await _gateway.CreateNumberAsync("cloud", waba);
        _onPremise = await _gateway.CreateNumberAsync("on_premise", waba);
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task CloudSend_Text_AnswersMetaSuccessShapeWithWamid()
    {
        var response = await _gateway.PostAsync("/messages", _cloud.ApiKey, new
        {
            messaging_product = "whatsapp",
            recipient_type = "individual",
            to = "+49 151 2345678",
            type = "text",
            text = new { preview_url = false, body = "Hello" },
        });

        var body = await GatewayServer.ReadJsonAsync(response, 200);
        Assert.Equal("whatsapp", body.GetProperty("messaging_product").GetString());
        var contact = Assert.Single(body.GetProperty("contacts").EnumerateArray());
        Assert.Equal("+49 151 2345678", contact.GetProperty("input").GetString());
        Assert.Equal("491512345678", contact.GetProperty("wa_id").GetString());
        var message = Assert.Single(body.GetProperty("messages").EnumerateArray());
        Assert.StartsWith("wamid.", message.GetProperty("id").GetString());
    }

    [Fact]
    public async Task OnPremiseSend_Text_AnswersOnPremiseSuccessShapeWithWamid()
    {
        var response = await _gateway.PostAsync("/v1/messages", _onPremise.ApiKey, new
        {
            recipient_type = "individual",
            to = "4915112345678",
            type = "text",
            text = new { body = "Hello" },
        });

        var body = await GatewayServer.ReadJsonAsync(response, 200);
        var message = Assert.Single(body.GetProperty("messages").EnumerateArray());
        Assert.StartsWith("wamid.", message.GetProperty("id").GetString());
        Assert.Equal("stable", body.GetProperty("meta").GetProperty("api_status").GetString());
        Assert.False(body.TryGetProperty("contacts", out _));
    }

    [Fact]
    public async Task Send_TwoMessages_GetDifferentIds()
    {
        var payload = new { messaging_product = "whatsapp", to = "4915112345678", type = "text", text = new { body = "Hi" } };
        var first = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", _cloud.ApiKey, payload), 200);
        var second = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", _cloud.ApiKey, payload), 200);
        Assert.NotEqual(first.GetProperty("messages")[0].GetProperty("id").GetString(), second.GetProperty("messages")[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("/messages", null)]
    [InlineData("/messages", "wrong-key-that-is-long-enough-to-have-a-prefix")]
    [InlineData("/messages", "short")]
    [InlineData("/v1/messages", null)]
    [InlineData("/v1/messages", "wrong-key-that-is-long-enough-to-have-a-prefix")]
    [InlineData("/v1/configs/webhook", null)]
    [InlineData("/waba_webhook", "wrong-key-that-is-long-enough-to-have-a-prefix")]
    [InlineData("/sandbox/v1/inbound", null)]
    public async Task Request_MissingOrUnknownKey_Is401WithMetaErrorBody(string path, string? key)
    {
        var response = await _gateway.PostAsync(path, key, new { to = "4915112345678", text = new { body = "Hi" } });

        var body = await GatewayServer.ReadJsonAsync(response, 401);
        var meta = body.GetProperty("meta");
        Assert.Equal(401, meta.GetProperty("httpCode").GetInt32());
        Assert.False(meta.GetProperty("success").GetBoolean());
        Assert.Contains("api_key", meta.GetProperty("developerMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_KeyOfAnotherNumberWithTamperedSecret_Is401()
    {
        var tampered = _cloud.ApiKey[..^1] + (_cloud.ApiKey[^1] == 'a' ? 'b' : 'a');
        var response = await _gateway.PostAsync("/messages", tampered,
            new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "Hi" } });
        await GatewayServer.ReadJsonAsync(response, 401);
    }

    [Fact]
    public async Task CloudNumber_OnOnPremiseEndpoint_IsRefusedNamingPostMessages()
    {
        var response = await _gateway.PostAsync("/v1/messages", _cloud.ApiKey, new { to = "4915112345678", text = new { body = "Hi" } });

        var body = await GatewayServer.ReadJsonAsync(response, 400);
        Assert.Contains("POST /messages", body.GetProperty("meta").GetProperty("developerMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnPremiseNumber_OnCloudEndpoint_IsRefusedNamingPostV1Messages()
    {
        var response = await _gateway.PostAsync("/messages", _onPremise.ApiKey,
            new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "Hi" } });

        var body = await GatewayServer.ReadJsonAsync(response, 400);
        Assert.Contains("POST /v1/messages", body.GetProperty("meta").GetProperty("developerMessage").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int, string> CloudBadRequests => new()
    {
        { "malformed JSON", """{"messaging_product":"whatsapp","to":"4915112345678",""", 100, "JSON" },
        { "array body", """[1,2]""", 100, "object" },
        { "missing to", """{"messaging_product":"whatsapp","type":"text","text":{"body":"Hi"}}""", 131008, "to" },
        { "unknown type", """{"messaging_product":"whatsapp","to":"4915112345678","type":"hologram"}""", 131051, "hologram" },
        { "missing messaging_product", """{"to":"4915112345678","type":"text","text":{"body":"Hi"}}""", 131008, "messaging_product" },
        { "missing text.body", """{"messaging_product":"whatsapp","to":"4915112345678","type":"text","text":{}}""", 131008, "text.body" },
        { "text too long", $$$"""{"messaging_product":"whatsapp","to":"4915112345678","text":{"body":"{{{new string('x', 4097)}}}"}}""", 131009, "text.body" },
        { "to not a number", """{"messaging_product":"whatsapp","to":"alice","text":{"body":"Hi"}}""", 131009, "to" },
    };

    [Theory]
    [MemberData(nameof(CloudBadRequests))]
    public async Task CloudSend_BadRequest_Is400InMetaErrorShape(string why, string rawBody, int code, string detailNames)
    {
        var response = await _gateway.Http.SendAsync(
            GatewayServer.Request(HttpMethod.Post, "/messages", _cloud.ApiKey, rawBody: rawBody), TestContext.Current.CancellationToken);

        var error = (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("error");
        Assert.True(code == error.GetProperty("code").GetInt32(), why);
        Assert.StartsWith($"(#{code}) ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.Contains(detailNames, error.GetProperty("error_data").GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
    }

    public static TheoryData<string, string, int, string> OnPremiseBadRequests => new()
    {
        { "malformed JSON", """{"to":"4915112345678", "text": {""", 1009, "JSON" },
        { "missing to", """{"type":"text","text":{"body":"Hi"}}""", 1008, "to" },
        { "unknown type", """{"to":"4915112345678","type":"hologram"}""", 501, "hologram" },
        { "missing text", """{"to":"4915112345678","type":"text"}""", 1008, "text" },
        { "preview_url not boolean", """{"to":"4915112345678","text":{"body":"Hi","preview_url":"yes"}}""", 1009, "text.preview_url" },
    };

    [Theory]
    [MemberData(nameof(OnPremiseBadRequests))]
    public async Task OnPremiseSend_BadRequest_Is400InOnPremiseErrorShape(string why, string rawBody, int code, string detailNames)
    {
        var response = await _gateway.Http.SendAsync(
            GatewayServer.Request(HttpMethod.Post, "/v1/messages", _onPremise.ApiKey, rawBody: rawBody), TestContext.Current.CancellationToken);

        var body = await GatewayServer.ReadJsonAsync(response, 400);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.True(code == error.GetProperty("code").GetInt32(), why);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("title").GetString()));
        Assert.Contains(detailNames, error.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal("stable", body.GetProperty("meta").GetProperty("api_status").GetString());
    }

    [Fact]
    public async Task Send_BadRequest_StoresNothingAndSendsNoEvents()
    {
        var before = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={_cloud.Id}"), 200);
        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/messages", _cloud.ApiKey,
            rawBody: """{"messaging_product":"whatsapp","type":"text","text":{"body":"Hi"}}"""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var after = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={_cloud.Id}"), 200);
        Assert.Equal(before.GetProperty("data").GetArrayLength(), after.GetProperty("data").GetArrayLength());
    }
}
