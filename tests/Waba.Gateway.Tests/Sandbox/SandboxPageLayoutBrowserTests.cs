using PuppeteerSharp;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>
/// Issue 22: the page as a newcomer meets it: one scrollbar per panel on a desktop however long the log grows, days
/// between bubbles (right again after a rewind), a notice that goes away, a phone's picker and delivery cards on screen,
/// no actions under a message the user never got, the BSUID explained, the webhook line current without reload.
/// </summary>
public sealed class SandboxPageLayoutBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string User = "4917612345600";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Settings() => new()
    {
        ["Sandbox:PairRateBurst"] = "1000",
        ["Sandbox:Throughput"] = "1000",
        ["Webhooks:RetryDelays"] = "1h",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static async Task<string> UserWritesAsync(GatewayServer gateway, TestNumber number, string text)
    {
        var accepted = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey,
            new { from = User, name = "Kai", type = "text", text = new { body = text } }), 202);
        return accepted.GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    private static async Task<string> AnswerAsync(GatewayServer gateway, TestNumber number, string text)
    {
        var response = await gateway.PostAsync("/messages", number.ApiKey,
            new { messaging_product = "whatsapp", to = User, type = "text", text = new { body = text } });
        return (await GatewayServer.ReadJsonAsync(response, 200)).GetProperty("messages")[0].GetProperty("id").GetString()!;
    }

    private async Task<IPage> OpenAsync(GatewayServer gateway, TestNumber number, int width, int height)
    {
        var browser = await fixture.BrowserAsync();
        var page = await browser.NewPageAsync(width, height);
        await page.GoToAsync($"{gateway.BaseAddress}sandbox#number={number.Id}&chat={User}");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        await page.WaitForSelectorAsync($"#messages[data-user='{User}']");
        return page;
    }

    private async Task WaitForAsync(IPage page, string script)
    {
        try
        {
            await page.WaitForExpressionAsync(script, new WaitForFunctionOptions { Timeout = 20_000, PollingInterval = 50 });
        }
        catch (WaitTaskTimeoutException)
        {
            var browser = await fixture.BrowserAsync();
            Assert.Fail($"The page never got to `{script}`. Its errors: {string.Join("; ", browser.ErrorsOf(page))}. "
                + $"Messages: {await page.EvaluateExpressionAsync<string>("document.getElementById('messages').innerText")}");
        }
    }

    private static async Task<TestNumber> NumberWithFailedDeliveriesAsync(GatewayServer gateway, int events)
    {
        var number = await gateway.CreateNumberAsync("cloud", await gateway.CreateWabaAsync("Trattoria Bella Vista Lieferservice und Catering Berlin-Mitte"));
        // Nobody listens on port 9: every attempt fails with a connection error, and a long one.
        await gateway.SetWabaWebhookAsync(number, "http://127.0.0.1:9/a/rather/long/path/to/the/receiver/that/is/not/running/webhook");
        for (var i = 0; i < events; i++)
        {
            await UserWritesAsync(gateway, number, $"Message {i}");
        }
        return number;
    }

    [Fact]
    public async Task Desktop_ALongDeliveryLog_ScrollsInsideItsPanel_NotThePage()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await NumberWithFailedDeliveriesAsync(gateway, 40);
        var page = await OpenAsync(gateway, number, 1280, 800);
        // The receiver's backoff holds most events back after the first failures; each shows its card all the same.
        await WaitForAsync(page, "document.querySelectorAll('#delivery-list > li').length >= 40 && document.querySelectorAll('#delivery-list .attempts caption').length >= 1");

        var page_ = await page.EvaluateExpressionAsync<int[]>(
            "[document.scrollingElement.scrollHeight, innerHeight, document.getElementById('deliveries').scrollHeight, document.getElementById('deliveries').clientHeight]");
        Assert.True(page_[0] <= page_[1], $"The page itself scrolls: {page_[0]} px of content in a {page_[1]} px window");
        Assert.True(page_[2] > page_[3], "The delivery log does not scroll inside its panel");
        // And the panel really scrolls to its last card.
        await page.EvaluateExpressionAsync("document.getElementById('deliveries').scrollTop = 1e6");
        Assert.True(await page.EvaluateExpressionAsync<bool>(
            "(() => { const items = document.querySelectorAll('#delivery-list > li'); const last = items[items.length - 1].getBoundingClientRect(); return last.bottom <= innerHeight + 1; })()"));
        // Times never break across lines.
        Assert.Equal("nowrap", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.querySelector('.bubble .meta')).whiteSpace"));
        Assert.Equal("nowrap", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.querySelector('#chat-list .when')).whiteSpace"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task DaySeparators_FollowTheMessages_AndAfterARewindTheOldOnesMoveToYesterday()
    {
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        var first = await UserWritesAsync(gateway, number, "Table for two tonight?");
        await AnswerAsync(gateway, number, "Of course!");
        var page = await OpenAsync(gateway, number, 1280, 800);
        await WaitForAsync(page, "document.querySelectorAll('#messages .message').length === 2");
        Assert.Equal(["Today"], await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#messages .day')].map(d => d.textContent)"));
        var timeBefore = await page.EvaluateFunctionAsync<string>("id => document.querySelector(`li[data-id='${id}'] time`).getAttribute('datetime')", first);

        // Moved back 25 hours in this open tab: the same bubbles, now under another day, with their new times.
        await page.ClickAsync("#rewind");
        await WaitForAsync(page, "[...document.querySelectorAll('#messages .day')].length === 1 && document.querySelector('#messages .day').textContent !== 'Today'");
        var timeAfter = await page.EvaluateFunctionAsync<string>("id => document.querySelector(`li[data-id='${id}'] time`).getAttribute('datetime')", first);
        Assert.NotEqual(timeBefore, timeAfter);
        Assert.True((DateTimeOffset.Parse(timeBefore, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(timeAfter, System.Globalization.CultureInfo.InvariantCulture)).TotalHours is > 24.9 and < 25.1);
        // The rewind's notice can be dismissed.
        Assert.False(await page.EvaluateExpressionAsync<bool>("document.getElementById('notice').hidden"));
        await page.ClickAsync("#notice-dismiss");
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('notice').hidden"));

        // A message written now opens today again, under its own separator.
        await UserWritesAsync(gateway, number, "Still there?");
        await WaitForAsync(page, "document.querySelectorAll('#messages .day').length === 2");
        var days = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#messages .day')].map(d => d.textContent)");
        Assert.Equal("Today", days[^1]);
        // 25 hours back is yesterday, or the day before when it is just past midnight: then the page names the weekday.
        Assert.Contains(days[0], Enum.GetNames<DayOfWeek>().Append("Yesterday"), StringComparer.Ordinal);
        await page.CloseAsync();
    }

    [Fact]
    public async Task PhoneWidth_ThePickerAndTheDeliveryCardsStayOnScreen()
    {
        // A receiver that fails with a long answer, as a framework's error page does.
        await using var receiver = await WebhookReceiver.StartAsync(respond: _ => 500);
        receiver.AnswerBody = "System.InvalidOperationException: The connection pool was exhausted while handling the request; "
            + "see https://example.invalid/really/long/documentation/link/about/connection/pools for what to do next";
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await NumberWithFailedDeliveriesAsync(gateway, 2);
        await gateway.SetWabaWebhookAsync(number, receiver.Url("/a/rather/long/path/to/the/receiver/webhook"));
        await UserWritesAsync(gateway, number, "One more");
        var page = await OpenAsync(gateway, number, 390, 844);
        var picker = await page.EvaluateExpressionAsync<double>("document.getElementById('number').getBoundingClientRect().right");
        Assert.True(picker <= 390, $"The number picker ends at {picker} px on a 390 px screen");

        await page.ClickAsync(".views button[data-show='deliveries']");
        await WaitForAsync(page, "[...document.querySelectorAll('#delivery-list .excerpt')].some(e => e.textContent.includes('connection pool'))");
        var overflowing = await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('#deliveries *')].filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
        Assert.True(overflowing.Length == 0, "Wider than the phone: " + string.Join(", ", overflowing.Take(10)));
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.scrollingElement.scrollWidth <= innerWidth"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task AFailedMessage_HasNoReplyOrReact_TheBsuidIsExplained_AndTheWebhookLineFollowsTheApi()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var gateway = await GatewayServer.StartAsync(Settings());
        var number = await gateway.CreateNumberAsync("cloud");
        var asked = await UserWritesAsync(gateway, number, "Hello");
        var page = await OpenAsync(gateway, number, 1280, 800);
        Assert.Contains("No webhook configured", await page.EvaluateExpressionAsync<string>("document.getElementById('webhook').textContent"), StringComparison.Ordinal);

        // Set through the API while the page is open: the Deliveries panel says so without a reload.
        var set = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/waba_webhook", number.ApiKey, new { url = receiver.Url() }), 200);
        var secret = set.GetProperty("signing_secret").GetString()!;
        await WaitForAsync(page, $"document.getElementById('webhook').textContent.includes('{receiver.Url()}')");
        Assert.Contains(secret[..10], await page.EvaluateExpressionAsync<string>("document.getElementById('webhook').textContent"), StringComparison.Ordinal);

        // The header names the user's BSUID and says what it is.
        var title = await page.EvaluateExpressionAsync<string>("document.querySelector('#chat-business abbr.bsuid')?.title ?? ''");
        Assert.Contains("Business-scoped user id", title, StringComparison.Ordinal);

        // Window closed: the free-form answer fails, and nothing offers to reply to it or react to it.
        await page.ClickAsync("#rewind");
        await page.WaitForSelectorAsync("#chat-window[data-open='false']");
        var failed = await AnswerAsync(gateway, number, "Are you still there?");
        await page.WaitForSelectorAsync($"li[data-id='{failed}'] .failure");
        Assert.Equal(0, await page.EvaluateFunctionAsync<int>("id => document.querySelectorAll(`li[data-id='${id}'] .message-tools button`).length", failed));
        Assert.Equal(2, await page.EvaluateFunctionAsync<int>("id => document.querySelectorAll(`li[data-id='${id}'] .message-tools button`).length", asked));
        await page.CloseAsync();
    }
}
