using System.Net.Http.Headers;
using System.Text.Json;
using Waba.Gateway.Sandbox.Page;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>The JSON API behind the sandbox page (<c>/sandbox/v1/numbers</c>), as any client would use it.</summary>
public sealed class SandboxPageApiTests : IAsyncLifetime
{
    private const string User = "4915712345678";
    private GatewayServer _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:TemplateApprovalDelay"] = "1h" });

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<JsonElement> GetAsync(string path, int status = 200) =>
        await GatewayServer.ReadJsonAsync(await _gateway.Http.GetAsync(path, Ct), status);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = json is null ? null : new StringContent(json, new MediaTypeHeaderValue("application/json")),
        };
        return await _gateway.Http.SendAsync(request, Ct);
    }

    private async Task<string> SendTextAsync(TestNumber number, string body = "Hello")
    {
        var sent = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", number.ApiKey,
            new { messaging_product = "whatsapp", to = User, type = "text", text = new { body } }), 200);
        return sent.GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> MessageOnceAsync(TestNumber number, string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var chat = await GetAsync($"/sandbox/v1/numbers/{number.Id}/chats/{User}");
            var message = chat.GetProperty("messages").EnumerateArray().FirstOrDefault(m => m.GetProperty("id").GetString() == id);
            if (message.ValueKind == JsonValueKind.Object && done(message))
            {
                return message;
            }
            Assert.True(DateTime.UtcNow < deadline, $"message {id} never reached the expected state: {chat}");
            await Task.Delay(30, Ct);
        }
    }

    [Fact]
    public async Task Numbers_ListsSandboxNumbersOnly_AndAMetaNumberIsNotFound()
    {
        var sandbox = await _gateway.CreateNumberAsync("cloud");
        var other = await _gateway.CreateNumberAsync("on_premise");
        var patched = await _gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/phone_numbers/{other.Id}", new { upstream = "meta" });
        await GatewayServer.ReadJsonAsync(patched, 200);

        var numbers = (await GetAsync("/sandbox/v1/numbers")).GetProperty("data").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();

        Assert.Contains(sandbox.Id, numbers);
        Assert.DoesNotContain(other.Id, numbers);
        await GetAsync($"/sandbox/v1/numbers/{other.Id}/chats", 404);
        await GetAsync($"/sandbox/v1/numbers/{other.Id}/deliveries", 404);
        await GetAsync("/sandbox/v1/numbers/pn_nothing/chats", 404);
    }

    [Fact]
    public async Task WritingAsTheUser_IsTheInboundPath_AndTheChatShowsItWithStatusesOfTheAnswer()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        var written = await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/{User}/messages",
            """{"type": "image", "name": "Mia", "image": {"data": "iVBORw0KGgo=", "mime_type": "image/png", "caption": "my receipt"}}""");
        var inboundId = (await GatewayServer.ReadJsonAsync(written, 202)).GetProperty("messages")[0].GetProperty("id").GetString()!;
        var answer = await SendTextAsync(number);

        var read = await MessageOnceAsync(number, answer, m => m.GetProperty("status").GetString() == "read");
        var chat = await GetAsync($"/sandbox/v1/numbers/{number.Id}/chats/{User}");

        Assert.Equal("Mia", chat.GetProperty("name").GetString());
        Assert.True(chat.GetProperty("window_open").GetBoolean());
        var image = chat.GetProperty("messages")[0];
        Assert.Equal(inboundId, image.GetProperty("id").GetString());
        Assert.Equal("inbound", image.GetProperty("direction").GetString());
        // The chat keeps the media as the business received it (an id to download), not the uploaded bytes.
        var mediaId = image.GetProperty("content").GetProperty("id").GetString()!;
        Assert.False(image.GetProperty("content").TryGetProperty("data", out _));
        Assert.Equal("my receipt", image.GetProperty("content").GetProperty("caption").GetString());
        var preview = await _gateway.Http.GetAsync($"/sandbox/v1/numbers/{number.Id}/media/{mediaId}", Ct);
        Assert.Equal("image/png", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello", read.GetProperty("content").GetProperty("body").GetString());
        var list = await GetAsync($"/sandbox/v1/numbers/{number.Id}/chats");
        Assert.Equal(User, list.GetProperty("data")[0].GetProperty("wa_id").GetString());
        Assert.Equal(2, list.GetProperty("data")[0].GetProperty("messages").GetInt32());
    }

    [Fact]
    public async Task Behaviour_NotOnWhatsAppAndNeverReads_ChangeWhatTheNextMessageDoes()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        await GatewayServer.ReadJsonAsync(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/{User}/messages",
            """{"type": "text", "text": {"body": "hi"}}"""), 202);

        Assert.Equal(204, (int)(await SendAsync(HttpMethod.Patch, $"/sandbox/v1/numbers/{number.Id}/chats/{User}", """{"never_reads": true}""")).StatusCode);
        var unread = await SendTextAsync(number, "first");
        await MessageOnceAsync(number, unread, m => m.GetProperty("status").GetString() == "delivered");

        Assert.Equal(204, (int)(await SendAsync(HttpMethod.Patch, $"/sandbox/v1/numbers/{number.Id}/chats/{User}", """{"not_on_whatsapp": true}""")).StatusCode);
        var chat = await GetAsync($"/sandbox/v1/numbers/{number.Id}/chats/{User}");
        Assert.True(chat.GetProperty("not_on_whatsapp").GetBoolean());
        Assert.True(chat.GetProperty("never_reads").GetBoolean());
        var failed = await MessageOnceAsync(number, await SendTextAsync(number, "second"), m => m.GetProperty("status").GetString() == "failed");
        Assert.Equal(131026, failed.GetProperty("error").GetProperty("code").GetInt32());

        // The first message stays delivered: a user who never reads sends no read status, however long we wait for one.
        var deliveries = await GetAsync($"/sandbox/v1/numbers/{number.Id}/deliveries?limit=500");
        Assert.DoesNotContain(deliveries.GetProperty("data").EnumerateArray(),
            d => d.GetProperty("message_id").GetString() == unread && d.GetProperty("kind").GetString() == "status.read");
        Assert.Equal(400, (int)(await SendAsync(HttpMethod.Patch, $"/sandbox/v1/numbers/{number.Id}/chats/{User}", "{}")).StatusCode);
        Assert.Equal(400, (int)(await SendAsync(HttpMethod.Patch, $"/sandbox/v1/numbers/{number.Id}/chats/{User}", "{nope")).StatusCode);
    }

    [Fact]
    public async Task Rewind_ClosesTheWindow_SoAFreeFormMessageFailsWith131047()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        await GatewayServer.ReadJsonAsync(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/{User}/messages",
            """{"type": "text", "text": {"body": "hi"}}"""), 202);

        var rewound = await GatewayServer.ReadJsonAsync(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/{User}/rewind", """{"hours": 25}"""), 200);

        Assert.Equal(1, rewound.GetProperty("moved").GetInt32());
        Assert.False(rewound.GetProperty("window_open").GetBoolean());
        var sent = await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/v1/messages", number.ApiKey, new { to = User, type = "text", text = new { body = "late" } }), 200);
        var failed = await MessageOnceAsync(number, sent.GetProperty("messages")[0].GetProperty("id").GetString()!, m => m.GetProperty("status").GetString() == "failed");
        // On-Premise webhooks carry 470 for the same failure; the page shows what the number's webhook got.
        Assert.Equal(470, failed.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(400, (int)(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/{User}/rewind", """{"hours": 0}""")).StatusCode);
        Assert.Equal(404, (int)(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/not-a-number/rewind", "{}")).StatusCode);
    }

    [Fact]
    public async Task EndReview_ApprovesTheSubmittedTemplateNow()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/v1/configs/templates", number.ApiKey, new
        {
            name = "pickup_ready",
            language = "en",
            category = "UTILITY",
            components = new object[] { new { type = "BODY", text = "Your order is ready." } },
        }), 200);
        var template = new { messaging_product = "whatsapp", to = User, type = "template", template = new { name = "pickup_ready", language = new { code = "en" } } };
        await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", number.ApiKey, template), 404);

        var ended = await GatewayServer.ReadJsonAsync(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/templates/end_review"), 200);

        Assert.Equal(1, ended.GetProperty("ended").GetInt32());
        await GatewayServer.ReadJsonAsync(await _gateway.PostAsync("/messages", number.ApiKey, template), 200);
    }

    [Fact]
    public async Task Changes_StreamNamesTheChat_WhenAStatusBecomesDue()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        await GatewayServer.ReadJsonAsync(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/{User}/messages",
            """{"type": "text", "text": {"body": "hi"}}"""), 202);
        using var response = await _gateway.Http.GetAsync($"/sandbox/v1/numbers/{number.Id}/changes", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        await SendTextAsync(number);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        string? line;
        var events = new List<string>();
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && events.Count < 2)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line);
            }
        }
        Assert.All(events, e => Assert.Equal($$"""data: {"wa_id":"{{User}}"}""", e));
    }

    [Fact]
    public async Task Webhook_TestEventAndReplay_ActOnThisNumberOnly()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var number = await _gateway.CreateNumberAsync("cloud");
        var other = await _gateway.CreateNumberAsync("cloud");
        Assert.Equal(204, (int)(await _gateway.Http.GetAsync($"/sandbox/v1/numbers/{number.Id}/webhook", Ct)).StatusCode);
        await _gateway.SetWabaWebhookAsync(number, receiver.Url());
        await _gateway.PostAsync("/sandbox/v1/inbound", other.ApiKey, new { from = User, type = "text", text = new { body = "elsewhere" } });

        var webhook = await GetAsync($"/sandbox/v1/numbers/{number.Id}/webhook");
        var test = await GatewayServer.ReadJsonAsync(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/webhook/test"), 200);
        var otherEvent = (await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={other.Id}") is var r
            ? await GatewayServer.ReadJsonAsync(r, 200) : default).GetProperty("data")[0].GetProperty("event_id").GetString();

        Assert.Equal("waba", webhook.GetProperty("scope").GetString());
        Assert.Equal(receiver.Url(), webhook.GetProperty("url").GetString());
        Assert.True(test.GetProperty("succeeded").GetBoolean());
        Assert.Equal(404, (int)(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/deliveries/{otherEvent}/replay")).StatusCode);
        Assert.Equal(202, (int)(await SendAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{other.Id}/deliveries/{otherEvent}/replay")).StatusCode);

        // The page lists the newest events first.
        await _gateway.PostAsync("/sandbox/v1/inbound", other.ApiKey, new { from = User, type = "text", text = new { body = "again" } });
        var oldest = await GetAsync($"/sandbox/v1/numbers/{other.Id}/deliveries");
        var newest = await GetAsync($"/sandbox/v1/numbers/{other.Id}/deliveries?order=newest");
        var ids = oldest.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("event_id").GetString()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(Enumerable.Reverse(ids), newest.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("event_id").GetString()));
        await GetAsync($"/sandbox/v1/numbers/{other.Id}/deliveries?order=sideways", 400);
    }

    [Fact]
    public async Task Page_IsServedWithAPolicyThatLoadsNothingFromElsewhere()
    {
        var page = await _gateway.Http.GetAsync("/sandbox", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("/sandbox/assets/sandbox.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        foreach (var asset in new[] { "sandbox.js", "bubbles.js", "format.js", "sandbox.css" })
        {
            var response = await _gateway.Http.GetAsync($"/sandbox/assets/{asset}", Ct);
            Assert.Equal(200, (int)response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(Ct);
            // Modules import each other from the gateway; nothing (scripts, styles, fonts) comes from another host.
            Assert.DoesNotContain("from 'http", text, StringComparison.Ordinal);
            Assert.DoesNotContain("@import", text, StringComparison.Ordinal);
            Assert.DoesNotContain("url(http", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5055", true)]
    [InlineData("http://localhost:5055", true)]
    [InlineData("http://[::1]:5055", true)]
    [InlineData("https://127.0.0.2:443", true)]
    [InlineData("http://0.0.0.0:5055", false)]
    [InlineData("http://*:5055", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://10.1.2.3:5055", false)]
    [InlineData("http://[::]:5055", false)]
    [InlineData("http://gateway.example.com:5055", false)]
    public void Loopback_IsDecidedFromTheListeningAddresses(string address, bool loopbackOnly)
    {
        Assert.Equal(loopbackOnly, SandboxPageAccess.ListensOnLoopbackOnly([address]));
        Assert.False(SandboxPageAccess.ListensOnLoopbackOnly([address, "http://0.0.0.0:5056"]));
        Assert.False(SandboxPageAccess.ListensOnLoopbackOnly([]));
    }

    [Fact]
    public async Task TokenAccess_TheApiAsksForTheAdminToken_InAHeader()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:PageAccess"] = "token" });

        var access = await GatewayServer.ReadJsonAsync(await gateway.Http.GetAsync("/sandbox/v1/access", Ct), 200);
        var refused = await gateway.Http.GetAsync("/sandbox/v1/numbers", Ct);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, "/sandbox/v1/numbers");
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayServer.AdminToken);
        var admitted = await gateway.Http.SendAsync(withToken, Ct);

        Assert.True(access.GetProperty("token_required").GetBoolean());
        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(200, (int)admitted.StatusCode);
        // The loopback default: open without a token.
        Assert.False((await GetAsync("/sandbox/v1/access")).GetProperty("token_required").GetBoolean());
        Assert.Equal(200, (int)(await _gateway.Http.GetAsync("/sandbox/v1/numbers", Ct)).StatusCode);
    }
}
