using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>Issue 3: the sandbox fails where WhatsApp fails, and simulated users send every inbound type.</summary>
public sealed class SandboxBehaviourTests : IAsyncLifetime
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

    private static object Text(string to, string body = "Hi") => new { messaging_product = "whatsapp", to, type = "text", text = new { body } };

    private static object Template(string to) => new { messaging_product = "whatsapp", to, type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } };

    private static async Task<string> MessageIdAsync(HttpResponseMessage response) =>
        (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("messages")[0].GetProperty("id").GetString()!;

    private static bool IsStatus(ReceivedWebhook r) => r.Body.Contains("\"statuses\"", StringComparison.Ordinal);

    private static JsonElement Status(ReceivedWebhook r) =>
        (r.Json.TryGetProperty("entry", out var entry) ? entry[0].GetProperty("changes")[0].GetProperty("value") : r.Json).GetProperty("statuses")[0];

    [Theory]
    [InlineData("cloud", 131026)]
    [InlineData("on_premise", 1013)]
    public async Task MessageToANonUser_FailsAsynchronouslyWithWhatsAppsError(string hosting, int code)
    {
        var number = await _gateway.CreateNumberAsync(hosting);
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url());
        var path = hosting == "cloud" ? "/messages" : "/v1/messages";

        var id = await MessageIdAsync(await _gateway.PostAsync(path, number.ApiKey, Template("9991234567")));

        var webhook = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1));
        var status = Status(webhook);
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal(id, status.GetProperty("id").GetString());
        Assert.Equal(code, status.GetProperty("errors")[0].GetProperty("code").GetInt32());
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task NeverReadingUser_GetsSentAndDeliveredButNoRead()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        await _gateway.SetNumberWebhookAsync(number, _receiver.Url());
        await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "9981234567", text = new { body = "hi" } });
        await _gateway.PostAsync("/messages", number.ApiKey, Text("9981234567"));

        await _receiver.WaitForAsync(r => r.Count(IsStatus) >= 2);
        await Task.Delay(300, TestContext.Current.CancellationToken); // the read delay is 30 ms in tests
        Assert.Equal(["delivered", "sent"], _receiver.Received.Where(IsStatus).Select(r => Status(r).GetProperty("status").GetString()).Order());
    }

    [Theory]
    [InlineData("cloud", 131047)]
    [InlineData("on_premise", 470)]
    public async Task CustomerServiceWindow_FreeFormFailsAfter24Hours_TemplatesStillGo(string hosting, int code)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        await using var gateway = await GatewayServer.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var number = await gateway.CreateNumberAsync(hosting);
        var path = hosting == "cloud" ? "/messages" : "/v1/messages";
        object TextTo(string to) => hosting == "cloud" ? Text(to) : new { to, type = "text", text = new { body = "Hi" } };
        object TemplateTo(string to) => hosting == "cloud" ? Template(to) : new { to, type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } };

        async Task<List<string>> PlannedAsync(string messageId)
        {
            var log = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}&limit=500"), 200);
            return [.. log.GetProperty("data").EnumerateArray().Where(d => d.TryGetProperty("message_id", out var m) && m.GetString() == messageId)
                .Select(d => d.GetProperty("kind").GetString()!)];
        }

        var never = await MessageIdAsync(await gateway.PostAsync(path, number.ApiKey, TextTo("4915111111111")));
        Assert.Equal(["status.failed"], await PlannedAsync(never));

        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915111111111", text = new { body = "hi" } });
        clock.Advance(TimeSpan.FromHours(23));
        var inside = await MessageIdAsync(await gateway.PostAsync(path, number.ApiKey, TextTo("4915111111111")));
        Assert.Equal(["status.sent", "status.delivered", "status.read"], await PlannedAsync(inside));

        clock.Advance(TimeSpan.FromHours(2));
        var outside = await MessageIdAsync(await gateway.PostAsync(path, number.ApiKey, TextTo("4915111111111")));
        Assert.Equal(["status.failed"], await PlannedAsync(outside));
        var failed = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}&state=pending&limit=500"), 200);
        var payload = failed.GetProperty("data").EnumerateArray().Last(d => d.GetProperty("message_id").GetString() == outside).GetProperty("payload");
        var status = payload.TryGetProperty("entry", out var entry) ? entry[0].GetProperty("changes")[0].GetProperty("value").GetProperty("statuses")[0] : payload.GetProperty("statuses")[0];
        Assert.Equal(code, status.GetProperty("errors")[0].GetProperty("code").GetInt32());

        var template = await MessageIdAsync(await gateway.PostAsync(path, number.ApiKey, TemplateTo("4915111111111")));
        Assert.Equal(["status.sent", "status.delivered", "status.read"], await PlannedAsync(template));
    }

    /// <summary>Meta's current error table answers throttling with HTTP 400 (issue 11); the On-Premise API answered 429.</summary>
    [Theory]
    [InlineData("cloud", 130429, 400)]
    [InlineData("on_premise", 1015, 429)]
    public async Task Throughput_BeyondTheNumbersRate_IsRefusedWithWhatsAppsCode(string hosting, int code, int httpStatus)
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:Throughput"] = "3" });
        var number = await gateway.CreateNumberAsync(hosting);
        var path = hosting == "cloud" ? "/messages" : "/v1/messages";
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var to = $"49151222222{i:D2}";
            statuses.Add((int)(await gateway.PostAsync(path, number.ApiKey, new { messaging_product = "whatsapp", to, type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } })).StatusCode);
        }
        Assert.Equal([200, 200, 200], statuses.Take(3));
        Assert.Contains(httpStatus, statuses.Skip(3));

        var limited = await gateway.PostAsync(path, number.ApiKey, new { messaging_product = "whatsapp", to = "4915122222299", type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } });
        var body = await GatewayServer.ReadJsonAsync(limited, httpStatus);
        Assert.Equal(code, hosting == "cloud" ? body.GetProperty("error").GetProperty("code").GetInt32() : body.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task PairRate_TooManyToOneUser_Is131056_OtherUsersUnaffected()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:PairRateBurst"] = "2", ["Sandbox:PairRateInterval"] = "1h" });
        var number = await gateway.CreateNumberAsync("cloud");
        Assert.Equal(200, (int)(await gateway.PostAsync("/messages", number.ApiKey, Template("4915133333333"))).StatusCode);
        Assert.Equal(200, (int)(await gateway.PostAsync("/messages", number.ApiKey, Template("4915133333333"))).StatusCode);
        var third = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Template("4915133333333")), 400);
        Assert.Equal(131056, third.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(200, (int)(await gateway.PostAsync("/messages", number.ApiKey, Template("4915133333334"))).StatusCode);

        // On-Premise: the spam rate limit is 471 (issue 11), answered with 429.
        var onPremise = await gateway.CreateNumberAsync("on_premise");
        var body = new { to = "4915133333335", type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } };
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/messages", onPremise.ApiKey, body), 200);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/messages", onPremise.ApiKey, body), 200);
        var spam = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/messages", onPremise.ApiKey, body), 429);
        Assert.Equal(471, spam.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task MarkAsRead_CloudAndOnPremise_OnlyForReceivedMessages()
    {
        var cloud = await _gateway.CreateNumberAsync("cloud");
        var onPremise = await _gateway.CreateNumberAsync("on_premise");
        var inboundCloud = (await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/sandbox/v1/inbound", cloud.ApiKey, new { from = "4915144444444", text = new { body = "hi" } }), 202))
            .GetProperty("messages")[0].GetProperty("id").GetString();
        var inboundOnPremise = (await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/sandbox/v1/inbound", onPremise.ApiKey, new { from = "4915144444444", text = new { body = "hi" } }), 202))
            .GetProperty("messages")[0].GetProperty("id").GetString();

        var read = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", cloud.ApiKey, new { messaging_product = "whatsapp", status = "read", message_id = inboundCloud }), 200);
        Assert.True(read.GetProperty("success").GetBoolean());
        var unknown = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", cloud.ApiKey, new { messaging_product = "whatsapp", status = "read", message_id = "wamid.nope" }), 404);
        Assert.Equal(100, unknown.GetProperty("error").GetProperty("code").GetInt32());
        var otherNumbers = await _gateway.PostAsync("/messages", cloud.ApiKey, new { messaging_product = "whatsapp", status = "read", message_id = inboundOnPremise });
        Assert.Equal(404, (int)otherNumbers.StatusCode);
        var wrongStatus = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", cloud.ApiKey, new { messaging_product = "whatsapp", status = "seen", message_id = inboundCloud }), 400);
        Assert.Equal("status", wrongStatus.GetProperty("error").GetProperty("error_data").GetProperty("details").GetString()!.Split(':')[0]);

        using var put = GatewayServer.Request(HttpMethod.Put, $"/v1/messages/{inboundOnPremise}", onPremise.ApiKey, new { status = "read" });
        Assert.Equal(200, (int)(await _gateway.Http.SendAsync(put, TestContext.Current.CancellationToken)).StatusCode);
        using var putUnknown = GatewayServer.Request(HttpMethod.Put, "/v1/messages/wamid.nope", onPremise.ApiKey, new { status = "read" });
        var missing = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(putUnknown, TestContext.Current.CancellationToken), 404);
        Assert.Equal(1006, missing.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    private static readonly string[] CheckedNumbers = ["+49 151 5555 5555", "+999 123 4567", "call me"];

    [Fact]
    public async Task ContactsCheck_AnswersValidWithWaIdOrInvalid()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var response = await _gateway.PostAsync("/v1/contacts", number.ApiKey,
            new { blocking = "wait", contacts = CheckedNumbers, force_check = true });
        var contacts = (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("contacts").EnumerateArray().ToList();
        Assert.Equal(["valid", "invalid", "invalid"], contacts.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal("4915155555555", contacts[0].GetProperty("wa_id").GetString());
        Assert.Equal("+999 123 4567", contacts[1].GetProperty("input").GetString());
        Assert.False(contacts[1].TryGetProperty("wa_id", out _));

        var cloud = await _gateway.CreateNumberAsync("cloud");
        Assert.Equal(400, (int)(await _gateway.PostAsync("/v1/contacts", cloud.ApiKey, new { contacts = CheckedNumbers })).StatusCode);
        var empty = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/v1/contacts", number.ApiKey, new { contacts = Array.Empty<string>() }), 400);
        Assert.Equal(1009, empty.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    public static TheoryData<string, string, string> InboundTypes => new()
    {
        { "location", """{"from": "4915166666666", "type": "location", "location": {"latitude": 52.5, "longitude": 13.4, "name": "Office"}}""", "location.name=Office" },
        { "contacts", """{"from": "4915166666666", "type": "contacts", "contacts": [{"name": {"formatted_name": "Bob"}, "phones": [{"phone": "+1 555"}]}]}""", "contacts.0.name.formatted_name=Bob" },
        { "button", """{"from": "4915166666666", "type": "button", "button": {"text": "Yes", "payload": "confirm"}}""", "button.payload=confirm" },
        { "interactive", """{"from": "4915166666666", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "b1", "title": "Yes"}}}""", "interactive.button_reply.id=b1" },
        { "interactive", """{"from": "4915166666666", "type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "r2", "title": "Cake", "description": "Sweet"}}}""", "interactive.list_reply.description=Sweet" },
        { "reaction", """{"from": "4915166666666", "type": "reaction", "reaction": {"message_id": "wamid.out", "emoji": "👍"}}""", "reaction.emoji=👍" },
        { "text", """{"from": "4915166666666", "type": "text", "text": {"body": "as a reply"}, "context": {"message_id": "wamid.earlier"}}""", "context.id=wamid.earlier" },
    };

    [Theory]
    [MemberData(nameof(InboundTypes))]
    public async Task SimulatedUser_SendsEveryInboundType_InBothShapes(string type, string body, string expectation)
    {
        foreach (var hosting in new[] { "cloud", "on_premise" })
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            var number = await _gateway.CreateNumberAsync(hosting);
            await _gateway.SetNumberWebhookAsync(number, receiver.Url());
            var accepted = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/sandbox/v1/inbound", number.ApiKey, rawBody: body), TestContext.Current.CancellationToken);
            await GatewayServer.ReadJsonAsync(accepted, 202);

            var webhook = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
            var value = hosting == "cloud" ? webhook.Json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value") : webhook.Json;
            var message = value.GetProperty("messages")[0];
            Assert.Equal(type, message.GetProperty("type").GetString());
            var (path, expected) = (expectation.Split('=')[0], expectation.Split('=')[1]);
            var node = message;
            foreach (var part in path.Split('.'))
            {
                node = int.TryParse(part, out var index) ? node[index] : node.GetProperty(part);
            }
            Assert.Equal(expected, node.GetString());
            if (path.StartsWith("context", StringComparison.Ordinal))
            {
                Assert.Equal(number.PhoneNumber, message.GetProperty("context").GetProperty("from").GetString());
            }
        }
    }

    [Theory]
    [InlineData("""{"from": "4915166666666", "type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"title": "Yes"}}}""", "interactive.button_reply.id")]
    [InlineData("""{"from": "4915166666666", "type": "location", "location": {"latitude": 100, "longitude": 0}}""", "location.latitude")]
    [InlineData("""{"from": "4915166666666", "type": "hologram"}""", "type")]
    [InlineData("""{"type": "text", "text": {"body": "who am I"}}""", "from")]
    public async Task SimulatedUser_BadInbound_Is400NamingTheField(string body, string field)
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/sandbox/v1/inbound", number.ApiKey, rawBody: body), TestContext.Current.CancellationToken);
        var error = (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("errors")[0];
        Assert.StartsWith(field, error.GetProperty("details").GetString(), StringComparison.Ordinal);
    }
}
