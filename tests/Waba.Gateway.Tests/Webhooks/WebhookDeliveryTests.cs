using System.Text.Json;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Webhooks;

public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    /// <summary>The user writes first (opening the 24-hour window, as on WhatsApp), then the business answers.</summary>
    private async Task<string> SendTextAsync(TestNumber number, bool cloud, string to = "4915112345678")
    {
        Assert.Equal(202, (int)(await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = to, text = new { body = "hello business" } })).StatusCode);
        var response = cloud
            ? await _gateway.PostAsync("/messages", number.ApiKey, new { messaging_product = "whatsapp", to, type = "text", text = new { body = "Hello" } })
            : await _gateway.PostAsync("/v1/messages", number.ApiKey, new { to, type = "text", text = new { body = "Hello" } });
        return (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    private static bool IsStatus(ReceivedWebhook webhook) => webhook.Body.Contains("\"statuses\"", StringComparison.Ordinal);

    private static JsonElement CloudValue(ReceivedWebhook webhook) =>
        webhook.Json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value");

    [Fact]
    public async Task CloudNumber_SentMessage_WabaWebhookGetsSentDeliveredReadInMetaShape()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        await _gateway.SetWabaWebhookAsync(number, _receiver.Url());

        var messageId = await SendTextAsync(number, cloud: true);

        var received = (await _receiver.WaitForAsync(r => r.Count(IsStatus) >= 3, what: "three statuses")).Where(IsStatus).ToList();
        Assert.Equal(["delivered", "read", "sent"],
            received.Select(r => CloudValue(r).GetProperty("statuses")[0].GetProperty("status").GetString()).Order());
        foreach (var webhook in received)
        {
            var json = webhook.Json;
            Assert.Equal("whatsapp_business_account", json.GetProperty("object").GetString());
            var entry = json.GetProperty("entry")[0];
            Assert.Equal(number.WabaId, entry.GetProperty("id").GetString());
            Assert.Equal("messages", entry.GetProperty("changes")[0].GetProperty("field").GetString());
            var value = CloudValue(webhook);
            Assert.Equal("whatsapp", value.GetProperty("messaging_product").GetString());
            Assert.Equal(number.PhoneNumberId, value.GetProperty("metadata").GetProperty("phone_number_id").GetString());
            Assert.Equal(number.PhoneNumber, value.GetProperty("metadata").GetProperty("display_phone_number").GetString());
            var status = value.GetProperty("statuses")[0];
            Assert.Equal(messageId, status.GetProperty("id").GetString());
            Assert.Equal("4915112345678", status.GetProperty("recipient_id").GetString());
            Assert.Matches("^[0-9]{10}$", status.GetProperty("timestamp").GetString());
            Assert.StartsWith("evt_", webhook.EventId, StringComparison.Ordinal);
            Assert.StartsWith("application/json", webhook.Headers["content-type"], StringComparison.Ordinal);
        }
        Assert.Equal(3, received.Select(r => r.EventId).Distinct().Count());
    }

    [Fact]
    public async Task OnPremiseNumber_SentMessage_NumberWebhookGetsStatusesInOnPremiseShape()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url("/onprem"));

        var messageId = await SendTextAsync(number, cloud: false);

        var received = (await _receiver.WaitForAsync(r => r.Count(IsStatus) >= 3, what: "three statuses")).Where(IsStatus).ToList();
        Assert.Equal(["delivered", "read", "sent"], received.Select(r => r.Json.GetProperty("statuses")[0].GetProperty("status").GetString()).Order());
        Assert.All(received, webhook =>
        {
            Assert.Equal("/onprem", webhook.Path);
            Assert.False(webhook.Json.TryGetProperty("object", out _));
            Assert.False(webhook.Json.TryGetProperty("entry", out _));
            var status = Assert.Single(webhook.Json.GetProperty("statuses").EnumerateArray());
            Assert.Equal(messageId, status.GetProperty("id").GetString());
            Assert.Equal("4915112345678", status.GetProperty("recipient_id").GetString());
        });
    }

    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task SandboxInbound_TextFromUser_ReachesWebhookInTheNumbersShape(string hosting)
    {
        var number = await _gateway.CreateNumberAsync(hosting);
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url());

        var response = await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey,
            new { from = "4915199999999", name = "Alice", type = "text", text = new { body = "hi ä 😀" } });
        var accepted = await GatewayServer.ReadJsonAsync(response, 202);
        var messageId = accepted.GetProperty("messages")[0].GetProperty("id").GetString();

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1, what: "the inbound message"));
        var value = hosting == "cloud" ? CloudValue(webhook) : webhook.Json;
        Assert.Equal(hosting == "cloud", webhook.Json.TryGetProperty("object", out _));
        var contact = Assert.Single(value.GetProperty("contacts").EnumerateArray());
        Assert.Equal("Alice", contact.GetProperty("profile").GetProperty("name").GetString());
        Assert.Equal("4915199999999", contact.GetProperty("wa_id").GetString());
        var message = Assert.Single(value.GetProperty("messages").EnumerateArray());
        Assert.Equal(messageId, message.GetProperty("id").GetString());
        Assert.Equal("4915199999999", message.GetProperty("from").GetString());
        Assert.Equal("text", message.GetProperty("type").GetString());
        Assert.Equal("hi ä 😀", message.GetProperty("text").GetProperty("body").GetString());
        Assert.All(webhook.Body, c => Assert.True(c < 128, "webhook bodies are pure ASCII, as Meta's are"));
    }

    [Fact]
    public async Task CloudNumber_WithOwnWebhook_OverridesWabaWebhook()
    {
        var waba = await _gateway.CreateWabaAsync();
        var overriding = await _gateway.CreateNumberAsync("cloud", waba);
        var plain = await _gateway.CreateNumberAsync("cloud", waba);
        await _gateway.SetWabaWebhookAsync(plain, _receiver.Url("/waba"));
        await _gateway.SetNumberWebhookAsync(overriding, _receiver.Url("/number"));

        await _gateway.PostAsync("/sandbox/v1/inbound", overriding.ApiKey, new { from = "4915199999991", text = new { body = "to the override" } });
        await _gateway.PostAsync("/sandbox/v1/inbound", plain.ApiKey, new { from = "4915199999992", text = new { body = "to the WABA" } });

        var received = await _receiver.WaitForAsync(r => r.Count >= 2, what: "two inbound messages");
        Assert.Equal("/number", Assert.Single(received, r => r.Body.Contains("to the override", StringComparison.Ordinal)).Path);
        Assert.Equal("/waba", Assert.Single(received, r => r.Body.Contains("to the WABA", StringComparison.Ordinal)).Path);
    }

    [Fact]
    public async Task OnPremiseNumber_IgnoresWabaWebhook()
    {
        var waba = await _gateway.CreateWabaAsync();
        var cloud = await _gateway.CreateNumberAsync("cloud", waba);
        var onPremise = await _gateway.CreateNumberAsync("on_premise", waba);
        await _gateway.SetWabaWebhookAsync(cloud, _receiver.Url("/waba"));

        await _gateway.PostAsync("/sandbox/v1/inbound", onPremise.ApiKey, new { from = "4915199999993", text = new { body = "nobody hears" } });
        await _gateway.PostAsync("/sandbox/v1/inbound", cloud.ApiKey, new { from = "4915199999994", text = new { body = "heard" } });

        await _receiver.WaitForAsync(r => r.Count >= 1);
        var log = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={onPremise.Id}"), 200);
        var delivery = Assert.Single(log.GetProperty("data").EnumerateArray());
        Assert.Equal("pending", delivery.GetProperty("state").GetString());
        Assert.Contains("No webhook", delivery.GetProperty("attempts")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.Received, r => r.Body.Contains("nobody hears", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receiver_Answering500Twice_GetsEventThreeTimesWithSameIdAndAttemptsAreLogged()
    {
        _receiver.Respond = n => n <= 2 ? 500 : 200;
        var number = await _gateway.CreateNumberAsync("on_premise");
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url());

        await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "retry me" } });

        var received = await _receiver.WaitForAsync(r => r.Any(x => x.AnsweredWith == 200), what: "a successful attempt");
        Assert.Equal([500, 500, 200], received.Select(r => r.AnsweredWith));
        Assert.Single(received.Select(r => r.EventId).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());

        var record = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries/{received[0].EventId}"), 200);
        Assert.Equal("delivered", record.GetProperty("state").GetString());
        var attempts = record.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal([false, false, true], attempts.Select(a => a.GetProperty("succeeded").GetBoolean()));
        Assert.All(attempts, a => Assert.True(a.GetProperty("latency_ms").GetDouble() >= 0));
        Assert.Contains("only 200", attempts[0].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(201)]
    [InlineData(302)]
    public async Task Receiver_AnsweringSuccessOtherThan200_IsRetried(int status)
    {
        _receiver.Respond = n => n == 1 ? status : 200;
        var number = await _gateway.CreateNumberAsync("cloud");
        await _gateway.SetWabaWebhookAsync(number, _receiver.Url());

        await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "hi" } });

        var received = await _receiver.WaitForAsync(r => r.Count >= 2, what: "a retry");
        Assert.Equal([status, 200], received.Select(r => r.AnsweredWith));
        Assert.Equal(received[0].EventId, received[1].EventId);
    }

    [Fact]
    public async Task Receiver_AlwaysFailing_EventIsFailedAfterMaxAgeAndKept()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Webhooks:RetryDelays"] = "100ms,200ms",
            ["Webhooks:MaxAge"] = "1s",
        });
        _receiver.Respond = _ => 503;
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, _receiver.Url());

        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "doomed" } });

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement delivery;
        do
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            var log = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}&state=failed"), 200);
            delivery = log.GetProperty("data").EnumerateArray().FirstOrDefault();
        }
        while (delivery.ValueKind == JsonValueKind.Undefined && DateTime.UtcNow < deadline);

        Assert.Equal("failed", delivery.GetProperty("state").GetString());
        var attempts = delivery.GetProperty("attempts").GetArrayLength();
        Assert.InRange(attempts, 4, 12); // 0 s, 0.1 s, then every 0.2 s up to the 1 s deadline
        Assert.Equal(attempts, _receiver.Received.Count);
        var sinceFailed = _receiver.Received.Count;
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(sinceFailed, _receiver.Received.Count);
    }

    [Fact]
    public async Task WebhookConfig_SetThenGet_ReadsBackUrlAndHeaders()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url(), new Dictionary<string, string> { ["Authorization"] = "Basic dGVzdHVzZXI6dGVzdHBhc3M=" });

        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/v1/configs/webhook", number.ApiKey), TestContext.Current.CancellationToken);
        var config = await GatewayServer.ReadJsonAsync(response, 200);
        Assert.Equal(_receiver.Url(), config.GetProperty("url").GetString());
        Assert.Equal("Basic dGVzdHVzZXI6dGVzdHBhc3M=", config.GetProperty("headers").GetProperty("Authorization").GetString());

        await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "with auth" } });
        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        Assert.Equal("Basic dGVzdHVzZXI6dGVzdHBhc3M=", webhook.Headers["authorization"]);
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/hook"}""", "url")]
    [InlineData("""{"url":"not a url"}""", "url")]
    [InlineData("""{"headers":{}}""", "url")]
    [InlineData("""{"url":""", "JSON")]
    public async Task WebhookConfig_BadUrl_Is400InTheDialectShape(string body, string named)
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/v1/configs/webhook", number.ApiKey, rawBody: body),
            TestContext.Current.CancellationToken);
        var error = Assert.Single((await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("errors").EnumerateArray());
        Assert.Contains(named, error.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WabaWebhook_FromOnPremiseNumber_IsRefusedNamingTheNumberWebhook()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var response = await _gateway.PostAsync("/waba_webhook", number.ApiKey, new { url = _receiver.Url() });
        var body = await GatewayServer.ReadJsonAsync(response, 400);
        Assert.Contains("/v1/configs/webhook", body.GetProperty("meta").GetProperty("developerMessage").GetString(), StringComparison.Ordinal);
    }
}
