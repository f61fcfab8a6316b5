using System.Net.Http.Headers;
using System.Text.Json;
using PuppeteerSharp;
using Waba.Gateway.Tests.Dialects;
using Waba.Gateway.Tests.Infrastructure;
using Waba.Gateway.Tests.Meta;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>One headless chromium for the class: each test opens its own pages against its own gateway.</summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HeadlessChromium? _browser;

    public async Task<HeadlessChromium> BrowserAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _browser ??= await HeadlessChromium.LaunchAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _gate.Dispose();
    }
}

/// <summary>
/// The sandbox page in a real browser against the real gateway: what a developer sees of each message, the ticks moving
/// live, answering as the user (the webhook a real receiver gets), replaying from the delivery log, the 24-hour control.
/// </summary>
public sealed class SandboxPageBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string User = "4917612345678";

    /// <summary>A 160×100 PNG (a green bar and a circle), for an uploaded image's preview.</summary>
    private static readonly byte[] Picture = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAKAAAABkCAIAAACO1KzYAAABHElEQVR42u3dsQ2DUBBEwc1cCR05duiGaQRZIqcFIuTbP9Kr4Cb83JHX563iYgSABViABViABViAAQuwAAuwAAuwAAMWYAEWYAEWYAEWYMACLMACLMACLMCABViABVhPAB+/U8UBBjy2bf/eD3AtbTdzuHZLh263cdB2M4dut3HodhuHbrdx6HYbh263ceh2GwMGTHeyceh2GwMGDBjwarqDjAEDpjvZGDBgwIABAwYMGDBgwIABAwYMGDBgwIABAwYMGDBg78HegwEDZuybLMCAAQO22WA3iS5gwPaD7QcztuHvRgfg+cZzR+ROljtZaxtPH45blW5VLmlcMxP3ot2LXoO5dQj+2VAeYMACLMACLMACLMCABViA9Qdd290SZQLDvNEAAAAASUVORK5CYII=");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Sandbox:PairRateBurst"] = "1000",
            ["Sandbox:Throughput"] = "1000",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    private static async Task<string> UserWritesAsync(GatewayServer gateway, TestNumber number, string text = "Hi, I'd like to order", string name = "Kai")
    {
        var accepted = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey,
            new { from = User, name, type = "text", text = new { body = text } }), 202);
        return accepted.GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    private static async Task<string> SendAsync(GatewayServer gateway, TestNumber number, string type, string members)
    {
        var body = $$"""{"messaging_product": "whatsapp", "recipient_type": "individual", "to": "{{User}}", "type": "{{type}}", {{members}}}""";
        var response = await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/messages", number.ApiKey, rawBody: body), Ct);
        return (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    private static async Task<string> UploadAsync(GatewayServer gateway, TestNumber number)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Picture);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(new StringContent("whatsapp"), "messaging_product");
        form.Add(file, "file", "picture.png");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/media") { Content = form };
        request.Headers.Add("D360-API-KEY", number.ApiKey);
        return (await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(request, Ct), 200)).GetProperty("id").GetString()!;
    }

    private async Task<IPage> OpenAsync(GatewayServer gateway, TestNumber number, int width = 1280, int height = 800)
    {
        var browser = await fixture.BrowserAsync();
        var page = await browser.NewPageAsync(width, height);
        await page.GoToAsync($"{gateway.BaseAddress}sandbox#number={number.Id}&chat={User}");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        await page.WaitForSelectorAsync($"#messages[data-user='{User}']");
        return page;
    }

    private static Task<IJSHandle> WaitForAsync(IPage page, string script) =>
        page.WaitForFunctionAsync(script, new WaitForFunctionOptions { Timeout = 20_000, PollingInterval = 50 });

    private static Task<string> TextAsync(IPage page, string selector) =>
        page.EvaluateFunctionAsync<string>("s => document.querySelector(s)?.textContent ?? ''", selector);

    private static Task<int> CountAsync(IPage page, string selector) =>
        page.EvaluateFunctionAsync<int>("s => document.querySelectorAll(s).length", selector);

    private async Task AssertNoPageErrorsAsync(IPage page, string? allowed = null)
    {
        var browser = await fixture.BrowserAsync();
        var errors = browser.ErrorsOf(page).Where(e => allowed is null || !e.Contains(allowed, StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "The page reported errors:\n" + string.Join("\n", errors));
    }

    /// <summary>What each valid message type must show: a selector inside its bubble.</summary>
    private static string Expectation(string type, string members) => type switch
    {
        "text" => ".text",
        "image" or "video" or "audio" or "document" or "sticker" when members.Contains("\"link\"", StringComparison.Ordinal) => ".link-card .host",
        "image" or "sticker" => ".media img",
        "video" or "audio" => $".media {type}",
        "document" => ".card.document",
        "location" => ".card.location",
        "contacts" => ".card.contact",
        "reaction" => ".text",
        "interactive" => JsonDocument.Parse("{" + members + "}").RootElement.GetProperty("interactive").GetProperty("type").GetString() switch
        {
            "button" => ".reply-button[data-button-id]",
            "list" => ".list-open",
            "cta_url" => "a.cta[href]",
            "product" or "product_list" => ".card.product",
            "carousel" => ".carousel .card",
            var other => $".interactive.kind-{other} .reply-button",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no expectation for this type"),
    };

    [Fact]
    public async Task EveryMessageType_SentThroughTheApi_ShowsItsBubble()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        var greeting = await UserWritesAsync(gateway, number);
        var sent = new List<(string Id, string Type, string Members)>();
        foreach (var row in MetaUpstreamTests.ValidCases().Select(r => r.Data).Where(r => r.Item1 != "template"))
        {
            sent.Add((await SendAsync(gateway, number, row.Item1, row.Item2), row.Item1, row.Item2));
        }
        var formatted = await SendAsync(gateway, number, "text",
            """ "text": {"body": "*Bold* _italic_ ~gone~ ```x = 1``` https://example.com/orders/42"}, "context": {"message_id": "GREETING"} """
                .Replace("GREETING", greeting, StringComparison.Ordinal));
        var mediaId = await UploadAsync(gateway, number);
        var picture = await SendAsync(gateway, number, "image", $$""" "image": {"id": "{{mediaId}}", "caption": "Your order, packed"} """);
        var reaction = await SendAsync(gateway, number, "reaction", $$""" "reaction": {"message_id": "{{greeting}}", "emoji": "❤️"} """);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/configs/templates", number.ApiKey, new
        {
            name = "order_ready",
            language = "en",
            category = "UTILITY",
            components = new object[]
            {
                new { type = "HEADER", format = "TEXT", text = "Order {{1}}" },
                new { type = "BODY", text = "Hello {{1}}, your order is ready for pickup." },
                new { type = "FOOTER", text = "Reply STOP to opt out" },
                new { type = "BUTTONS", buttons = new object[] { new { type = "QUICK_REPLY", text = "On my way" }, new { type = "QUICK_REPLY", text = "Tomorrow" } } },
            },
        }), 200);
        var template = await SendAsync(gateway, number, "template", """
            "template": {"name": "order_ready", "language": {"code": "en"}, "components": [
              {"type": "header", "parameters": [{"type": "text", "text": "#4471"}]},
              {"type": "body", "parameters": [{"type": "text", "text": "Kai"}]}]}
            """);

        var browser = await fixture.BrowserAsync();
        var page = await browser.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, e) => requested.Add(e.Request.Url);
        await page.GoToAsync($"{gateway.BaseAddress}sandbox#number={number.Id}&chat={User}");
        await page.WaitForSelectorAsync($"li[data-id='{template}']");

        foreach (var (id, type, members) in sent)
        {
            var selector = $"li[data-id='{id}'][data-type='{type}'] {Expectation(type, members)}";
            Assert.True(await CountAsync(page, selector) > 0, $"{type} {members} shows no '{selector}'");
        }
        var bubble = $"li[data-id='{formatted}']";
        Assert.Equal("Bold", await TextAsync(page, $"{bubble} .text strong"));
        Assert.Equal("italic", await TextAsync(page, $"{bubble} .text em"));
        Assert.Equal("gone", await TextAsync(page, $"{bubble} .text s"));
        Assert.Equal("x = 1", await TextAsync(page, $"{bubble} .text code"));
        Assert.Equal("https://example.com/orders/42", await page.EvaluateFunctionAsync<string>("s => document.querySelector(s).getAttribute('href')", $"{bubble} .text a"));
        Assert.Equal("Hi, I'd like to order", await TextAsync(page, $"{bubble} .quote"));
        await WaitForAsync(page, $"() => document.querySelector(\"li[data-id='{picture}'] img\")?.src.startsWith('blob:')");
        Assert.Equal(160, await page.EvaluateFunctionAsync<int>("s => document.querySelector(s).naturalWidth", $"li[data-id='{picture}'] img"));
        Assert.Equal("❤️", (await TextAsync(page, $"li[data-id='{greeting}'] .reactions")).Trim());
        Assert.Equal(0, await CountAsync(page, $"li[data-id='{reaction}']"));
        Assert.Equal("Order #4471", await TextAsync(page, $"li[data-id='{template}'] .header-text"));
        Assert.Equal("Hello Kai, your order is ready for pickup.", await TextAsync(page, $"li[data-id='{template}'] .text"));
        Assert.Equal(2, await CountAsync(page, $"li[data-id='{template}'] .reply-button[data-button-text]"));
        Assert.Equal("Kai", await TextAsync(page, "#chat-title"));

        // Link media is a link card: the browser never asked another host for it.
        var network = requested.Where(url => url.StartsWith("http", StringComparison.Ordinal) || url.StartsWith("ws", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(network);
        Assert.All(network, url => Assert.StartsWith(gateway.BaseAddress.ToString(), url, StringComparison.Ordinal));
        await HeadlessChromium.SaveScreenshotAsync(page, "sandbox-every-type");
        await AssertReadableAsync(page);
        // The validation table's media ids were never uploaded: their previews answer 404, which chromium logs.
        await AssertNoPageErrorsAsync(page, "/media/1");
        await page.CloseAsync();
    }

    [Fact]
    public async Task NewChat_TheUserWritesFirst_AndTheBusinessAnswerAppears()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, receiver.Url());
        var browser = await fixture.BrowserAsync();
        await using var page = await browser.NewPageAsync();
        await page.GoToAsync($"{gateway.BaseAddress}sandbox");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        Assert.Equal(0, await CountAsync(page, "#chat-list li"));

        await page.TypeAsync("#new-chat-number", "+49 151 9999 9999");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#messages[data-user='4915199999999']");
        await page.TypeAsync("#composer-text", "menu");
        await page.Keyboard.PressAsync("Enter");

        var hook = await receiver.WaitForAsync(r => Messages(r).Any(), what: "the user's first message");
        Assert.Equal("menu", Messages(hook).First().GetProperty("text").GetProperty("body").GetString());
        Assert.Equal("4915199999999", Messages(hook).First().GetProperty("from").GetString());
        await page.WaitForSelectorAsync("#chat-list button[data-wa-id='4915199999999']");
        var body = """{"messaging_product": "whatsapp", "to": "4915199999999", "type": "text", "text": {"body": "Here is our menu"}}""";
        var sent = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/messages", number.ApiKey, rawBody: body), Ct), 200);
        await page.WaitForSelectorAsync($"li.outbound[data-id='{sent.GetProperty("messages")[0].GetProperty("id").GetString()}']");
        await AssertNoPageErrorsAsync(page);
    }

    [Fact]
    public async Task Ticks_MoveToReadLive_WithoutReload()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings(
            ("Sandbox:SentDelay", "400ms"), ("Sandbox:DeliveredDelay", "1300ms"), ("Sandbox:ReadDelay", "2300ms")));
        var number = await gateway.CreateNumberAsync("on_premise");
        await UserWritesAsync(gateway, number);
        var page = await OpenAsync(gateway, number);
        // Every tick state the chat shows is recorded as it appears; the marker proves the page was never reloaded.
        await page.EvaluateExpressionAsync("""
            window.stayed = true;
            window.seen = [];
            new MutationObserver(() => {
              for (const tick of document.querySelectorAll('#messages .ticks')) {
                const entry = tick.closest('li').dataset.id + ':' + tick.dataset.status;
                if (!window.seen.includes(entry)) window.seen.push(entry);
              }
            }).observe(document.getElementById('messages'), { childList: true, subtree: true });
            """);

        var response = await gateway.PostAsync("/v1/messages", number.ApiKey, new { to = User, type = "text", text = new { body = "Your table is booked for 8 pm." } });
        var id = (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("messages")[0].GetProperty("id").GetString()!;

        await WaitForAsync(page, $"() => document.querySelector(\"li[data-id='{id}'] .ticks\")?.dataset.status === 'read'");
        var seen = (await page.EvaluateExpressionAsync<string[]>("window.seen")).Where(s => s.StartsWith(id, StringComparison.Ordinal)).Select(s => s[(id.Length + 1)..]).ToList();
        Assert.Equal(["sent", "delivered", "read"], seen.Where(s => s != "accepted"));
        Assert.True(await page.EvaluateExpressionAsync<bool>("window.stayed === true"));
        Assert.Equal("Read", await page.EvaluateFunctionAsync<string>("s => document.querySelector(s).getAttribute('aria-label')", $"li[data-id='{id}'] .ticks"));
        await AssertNoPageErrorsAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task AnsweringOnThePage_ReplyButtonListRowAndMore_ReachTheReceiverWithTheRightIds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, receiver.Url());
        await UserWritesAsync(gateway, number, "menu");
        var buttons = await SendAsync(gateway, number, "interactive", """
            "interactive": {"type": "button", "body": {"text": "Table for tonight?"}, "action": {"buttons": [
              {"type": "reply", "reply": {"id": "book-yes", "title": "Yes please"}}, {"type": "reply", "reply": {"id": "book-no", "title": "No"}}]}}
            """);
        var list = await SendAsync(gateway, number, "interactive", """
            "interactive": {"type": "list", "header": {"type": "text", "text": "Menu"}, "body": {"text": "What would you like?"}, "action": {"button": "See dishes",
              "sections": [{"title": "Mains", "rows": [{"id": "pasta", "title": "Pasta", "description": "Fresh tagliatelle"}, {"id": "risotto", "title": "Risotto"}]}]}}
            """);
        var page = await OpenAsync(gateway, number);
        await page.WaitForSelectorAsync($"li[data-id='{list}'] .list-open");

        await page.ClickAsync($"li[data-id='{buttons}'] .reply-button[data-button-id='book-yes']");
        var tapped = Messages(await receiver.WaitForAsync(r => Messages(r).Any(m => m.GetProperty("type").GetString() == "interactive"), what: "the button reply"))
            .First(m => m.GetProperty("type").GetString() == "interactive");
        Assert.Equal("button_reply", tapped.GetProperty("interactive").GetProperty("type").GetString());
        Assert.Equal("book-yes", tapped.GetProperty("interactive").GetProperty("button_reply").GetProperty("id").GetString());
        Assert.Equal("Yes please", tapped.GetProperty("interactive").GetProperty("button_reply").GetProperty("title").GetString());
        Assert.Equal(buttons, tapped.GetProperty("context").GetProperty("id").GetString());
        Assert.Equal(number.PhoneNumber, tapped.GetProperty("context").GetProperty("from").GetString());

        await page.ClickAsync($"li[data-id='{list}'] .list-open");
        await page.WaitForSelectorAsync("#list-dialog[open] .list-row[data-row-id='pasta']");
        await page.ClickAsync("#list-dialog .list-row[data-row-id='pasta']");
        var picked = Messages(await receiver.WaitForAsync(r => Messages(r).Any(IsListReply), what: "the list reply")).First(IsListReply);
        Assert.Equal("pasta", picked.GetProperty("interactive").GetProperty("list_reply").GetProperty("id").GetString());
        Assert.Equal("Fresh tagliatelle", picked.GetProperty("interactive").GetProperty("list_reply").GetProperty("description").GetString());
        Assert.Equal(list, picked.GetProperty("context").GetProperty("id").GetString());
        await page.WaitForSelectorAsync($"li.inbound[data-id='{picked.GetProperty("id").GetString()}'] .interactive.kind-list_reply");

        // React and reply to the business's message, then write, all from the keyboard and mouse.
        await page.ClickAsync($"li[data-id='{buttons}'] button.react");
        await page.ClickAsync($"li[data-id='{buttons}'] .emoji-picker button[aria-label='React 👍']");
        var reacted = Messages(await receiver.WaitForAsync(r => Messages(r).Any(m => m.GetProperty("type").GetString() == "reaction"), what: "the reaction"))
            .First(m => m.GetProperty("type").GetString() == "reaction");
        Assert.Equal(buttons, reacted.GetProperty("reaction").GetProperty("message_id").GetString());
        await page.WaitForSelectorAsync($"li[data-id='{buttons}'] .reactions");

        await page.ClickAsync($"li[data-id='{list}'] button.reply-to");
        await page.TypeAsync("#composer-text", "Is it *vegan*?");
        await page.Keyboard.PressAsync("Enter");
        var text = Messages(await receiver.WaitForAsync(r => Messages(r).Any(m => IsText(m, "Is it *vegan*?")), what: "the typed reply"))
            .First(m => IsText(m, "Is it *vegan*?"));
        Assert.Equal(list, text.GetProperty("context").GetProperty("id").GetString());
        await WaitForAsync(page, "() => getComputedStyle(document.getElementById('reply-bar')).display === 'none'");

        await page.ClickAsync("#composer-location");
        await page.WaitForSelectorAsync("#location-dialog[open]");
        await page.ClickAsync("#location-dialog button[value='send']");
        var location = Messages(await receiver.WaitForAsync(r => Messages(r).Any(m => m.GetProperty("type").GetString() == "location"), what: "the location"))
            .First(m => m.GetProperty("type").GetString() == "location");
        Assert.Equal("Alexanderplatz", location.GetProperty("location").GetProperty("name").GetString());

        var file = Path.Combine(gateway.Folder, "menu-photo.png");
        await File.WriteAllBytesAsync(file, Picture, Ct);
        var input = await page.QuerySelectorAsync("#composer-file");
        await input.UploadFileAsync(file);
        var image = Messages(await receiver.WaitForAsync(r => Messages(r).Any(m => m.GetProperty("type").GetString() == "image"), what: "the image"))
            .First(m => m.GetProperty("type").GetString() == "image");
        var mediaId = image.GetProperty("image").GetProperty("id").GetString()!;
        using var download = await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, $"/media/download/{mediaId}", number.ApiKey), Ct);
        Assert.Equal(Picture, await download.Content.ReadAsByteArrayAsync(Ct));
        await page.WaitForFunctionAsync($"() => document.querySelector(\"li[data-id='{image.GetProperty("id").GetString()}'] img\")?.naturalWidth === 160");

        await HeadlessChromium.SaveScreenshotAsync(page, "sandbox-desktop", forDocs: true);
        await AssertNoPageErrorsAsync(page);
        await page.CloseAsync();

        static bool IsListReply(JsonElement m) =>
            m.GetProperty("type").GetString() == "interactive" && m.GetProperty("interactive").GetProperty("type").GetString() == "list_reply";
        static bool IsText(JsonElement m, string body) =>
            m.GetProperty("type").GetString() == "text" && m.GetProperty("text").GetProperty("body").GetString() == body;
    }

    [Fact]
    public async Task TemplateQuickReply_TappedOnThePage_ArrivesAsAButtonMessage()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("on_premise");
        await gateway.SetNumberWebhookAsync(number, receiver.Url());
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/configs/templates", number.ApiKey, new
        {
            name = "appointment",
            language = "en",
            category = "UTILITY",
            components = new object[]
            {
                new { type = "BODY", text = "Your appointment is tomorrow at {{1}}." },
                new { type = "BUTTONS", buttons = new object[] { new { type = "QUICK_REPLY", text = "Confirm" }, new { type = "QUICK_REPLY", text = "Cancel" } } },
            },
        }), 200);
        var body = $$$"""
            {"to": "{{{User}}}", "type": "template", "template": {"namespace": "NS", "name": "appointment", "language": {"policy": "deterministic", "code": "en"}, "components": [
              {"type": "body", "parameters": [{"type": "text", "text": "10:30"}]},
              {"type": "button", "sub_type": "quick_reply", "index": "1", "parameters": [{"type": "payload", "payload": "cancel-4471"}]}]}}
            """;
        var templates = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/v1/configs/templates", number.ApiKey), Ct), 200);
        body = body.Replace("NS", templates.GetProperty("waba_templates")[0].GetProperty("namespace").GetString(), StringComparison.Ordinal);
        var sent = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/v1/messages", number.ApiKey, rawBody: body), Ct), 200);
        var id = sent.GetProperty("messages")[0].GetProperty("id").GetString()!;
        var page = await OpenAsync(gateway, number);

        await page.ClickAsync($"li[data-id='{id}'] .reply-button[data-button-text='Cancel']");

        var tapped = (await receiver.WaitForAsync(r => r.Any(h => h.Json.TryGetProperty("messages", out _)), what: "the quick reply")).Select(h => h.Json)
            .First(j => j.TryGetProperty("messages", out _)).GetProperty("messages")[0];
        Assert.Equal("button", tapped.GetProperty("type").GetString());
        Assert.Equal("cancel-4471", tapped.GetProperty("button").GetProperty("payload").GetString());
        Assert.Equal("Cancel", tapped.GetProperty("button").GetProperty("text").GetString());
        Assert.Equal(id, tapped.GetProperty("context").GetProperty("id").GetString());
        await AssertNoPageErrorsAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task FailedDelivery_ReplayedFromTheLog_IsDelivered()
    {
        var healthy = false;
        await using var receiver = await WebhookReceiver.StartAsync(respond: _ => Volatile.Read(ref healthy) ? 200 : 500);
        await using var gateway = await GatewayServer.StartAsync(Settings(("Webhooks:RetryDelays", "50ms"), ("Webhooks:MaxAge", "1s")));
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, receiver.Url());
        var message = await UserWritesAsync(gateway, number);
        var page = await OpenAsync(gateway, number);

        var failed = $".delivery[data-state='failed']";
        await page.WaitForSelectorAsync(failed, new WaitForSelectorOptions { Timeout = 20_000 });
        var eventId = await page.EvaluateFunctionAsync<string>("s => document.querySelector(s).dataset.eventId", failed);
        Assert.Contains("500", await TextAsync(page, $".delivery[data-event-id='{eventId}'] .attempts"), StringComparison.Ordinal);
        Assert.Contains(message, await TextAsync(page, $".delivery[data-event-id='{eventId}']"), StringComparison.Ordinal);
        Volatile.Write(ref healthy, true);

        await page.ClickAsync($".delivery[data-event-id='{eventId}'] button.replay");

        await page.WaitForSelectorAsync($".delivery[data-event-id='{eventId}'][data-state='delivered']", new WaitForSelectorOptions { Timeout = 20_000 });
        Assert.Contains(receiver.Received, r => r.EventId == eventId && r.AnsweredWith == 200);
        await AssertReadableAsync(page);
        await AssertNoPageErrorsAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task TwentyFourHourControl_NextFreeFormMessageFails_With131047OnTheBubble()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        await UserWritesAsync(gateway, number);
        var page = await OpenAsync(gateway, number);
        Assert.Equal("true", await page.EvaluateExpressionAsync<string>("document.getElementById('chat-window').dataset.open"));

        await page.ClickAsync("#rewind");
        await page.WaitForSelectorAsync("#chat-window[data-open='false']");
        var id = await SendAsync(gateway, number, "text", """ "text": {"body": "Are you still there?"} """);

        await page.WaitForSelectorAsync($"li[data-id='{id}'] .failure[data-error-code='131047']");
        Assert.Contains("Re-engagement message", await TextAsync(page, $"li[data-id='{id}'] .failure"), StringComparison.Ordinal);
        Assert.Equal("failed", await page.EvaluateFunctionAsync<string>("s => document.querySelector(s).dataset.status", $"li[data-id='{id}'] .ticks"));
        await HeadlessChromium.SaveScreenshotAsync(page, "sandbox-window-closed");
        await AssertReadableAsync(page);
        await AssertNoPageErrorsAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task PhoneWidth_ShowsOnePanelAtATime_WithoutSidewaysScrolling()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        await UserWritesAsync(gateway, number, "Do you deliver on Sundays?", "Lena");
        await SendAsync(gateway, number, "interactive", """
            "interactive": {"type": "button", "body": {"text": "Yes, *every day* from 10 to 22. Shall we deliver today?"}, "footer": {"text": "Pizzeria Sole"}, "action": {"buttons": [
              {"type": "reply", "reply": {"id": "today", "title": "Today"}}, {"type": "reply", "reply": {"id": "later", "title": "Later"}}]}}
            """);
        var page = await OpenAsync(gateway, number, 390, 844);

        Assert.True(await page.EvaluateExpressionAsync<bool>("getComputedStyle(document.querySelector('.views')).display !== 'none'"));
        var overflowing = await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + '#' + e.id + '.' + e.className)");
        Assert.True(overflowing.Length == 0, "Wider than the phone: " + string.Join(", ", overflowing));
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('composer-send').getBoundingClientRect().bottom <= innerHeight"),
            "The Send button is below the screen");
        Assert.False(await IsShownAsync(page, "#chats"));
        Assert.True(await IsShownAsync(page, "#chat"));
        await page.WaitForSelectorAsync(".reply-button[data-button-id='today']");
        await HeadlessChromium.SaveScreenshotAsync(page, "sandbox-phone", forDocs: true);

        await page.ClickAsync(".views button[data-show='chats']");
        Assert.True(await IsShownAsync(page, "#chats"));
        Assert.False(await IsShownAsync(page, "#chat"));
        Assert.Equal("true", await page.EvaluateExpressionAsync<string>("document.querySelector(\".views button[data-show='chats']\").getAttribute('aria-pressed')"));
        await page.ClickAsync($"#chat-list button[data-wa-id='{User}']");
        Assert.True(await IsShownAsync(page, "#chat"));
        await AssertNoPageErrorsAsync(page);
        await page.CloseAsync();

        static Task<bool> IsShownAsync(IPage page, string selector) =>
            page.EvaluateFunctionAsync<bool>("s => getComputedStyle(document.querySelector(s)).display !== 'none'", selector);
    }

    [Fact]
    public async Task EveryControl_HasAnAccessibleName_AndTheKeyboardReachesTheComposer()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        await UserWritesAsync(gateway, number);
        await SendAsync(gateway, number, "interactive", """
            "interactive": {"type": "list", "body": {"text": "Pick"}, "action": {"button": "Open", "sections": [{"rows": [{"id": "a", "title": "A"}]}]}}
            """);
        var page = await OpenAsync(gateway, number);
        await page.WaitForSelectorAsync(".list-open");

        var unnamed = await page.EvaluateExpressionAsync<string[]>("""
            [...document.querySelectorAll('button, input, select, a[href], img')]
              .filter(e => e.type !== 'hidden')
              .filter(e => {
                if (e.tagName === 'IMG') return !e.getAttribute('alt');
                const label = e.getAttribute('aria-label') || (e.labels && [...e.labels].map(l => l.textContent).join('')) || e.textContent;
                return !label || !label.trim();
              })
              .map(e => e.outerHTML.slice(0, 120))
            """);
        Assert.Empty(unnamed);

        await AssertReadableAsync(page);

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip", await page.EvaluateExpressionAsync<string>("document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("composer-text", await page.EvaluateExpressionAsync<string>("document.activeElement.id"));
        Assert.NotEqual("none", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.activeElement, ':focus-visible').outlineStyle"));
        await AssertNoPageErrorsAsync(page);
        await page.CloseAsync();
    }

    [Fact]
    public async Task BeyondLoopback_ThePageAsksForTheAdminToken_AndKeepsItOutOfTheUrl()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings(("Sandbox:PageAccess", "token")));
        var number = await gateway.CreateNumberAsync("cloud");
        var browser = await fixture.BrowserAsync();
        var page = await browser.NewPageAsync();
        await page.GoToAsync($"{gateway.BaseAddress}sandbox");
        await page.WaitForSelectorAsync("#token-dialog[open]");
        Assert.Equal(0, await CountAsync(page, "#number option"));

        await page.TypeAsync("#token-input", "not-the-token");
        await page.Keyboard.PressAsync("Enter");
        await WaitForAsync(page, "() => document.getElementById('token-error').textContent.includes('refused')");
        await page.TypeAsync("#token-input", GatewayServer.AdminToken);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForSelectorAsync($"#number option[value='{number.Id}']");
        Assert.DoesNotContain(GatewayServer.AdminToken, page.Url, StringComparison.Ordinal);
        await page.CloseAsync();
    }

    /// <summary>WCAG AA: every visible text against the background it is drawn on (translucent layers composed), 4.5:1, or
    /// 3:1 for large text; disabled controls are exempt, as WCAG allows.
    /// </summary>
    private static async Task AssertReadableAsync(IPage page)
    {
        var lowContrast = await page.EvaluateExpressionAsync<string[]>("""
            (() => {
              const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
              const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
              const background = e => {
                const layers = [];
                for (let n = e; n; n = n.parentElement) {
                  const c = parse(getComputedStyle(n).backgroundColor);
                  if (c.a > 0) layers.push(c);
                  if (c.a >= 1) break;
                }
                return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
              };
              const luminance = c => [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
              const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
              const failures = [];
              for (const e of document.querySelectorAll('body *')) {
                if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
                if (e.closest('[disabled], dialog:not([open]), .visually-hidden')) continue;
                const style = getComputedStyle(e);
                if (style.display === 'none' || style.visibility === 'hidden' || e.getClientRects().length === 0) continue;
                const bg = background(e);
                const fg = over(parse(style.color), bg);
                const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
                const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
                const r = ratio(fg, bg);
                if (r < needed) failures.push(`${r.toFixed(2)} ${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 30)}`);
              }
              return failures;
            })()
            """);
        Assert.Empty(lowContrast);
    }

    private static IEnumerable<JsonElement> Messages(IReadOnlyList<ReceivedWebhook> hooks) =>
        hooks.Select(h => h.Json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value"))
            .Where(v => v.TryGetProperty("messages", out _))
            .SelectMany(v => v.GetProperty("messages").EnumerateArray());
}
