using PuppeteerSharp;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>
/// Issue 21: with the admin token the page also shows real (<c>meta</c>) numbers — their chats read-only, the delivery log,
/// the number's health and <c>waba doctor</c>'s checks — while a sandbox number keeps everything it has.
/// </summary>
public sealed class RealNumberPageBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<IJSHandle> WaitForAsync(IPage page, string script) =>
        page.WaitForFunctionAsync(script, new WaitForFunctionOptions { Timeout = 20_000, PollingInterval = 50 });

    [Fact]
    public async Task ARealNumber_IsListedForTheAdminToken_ReadOnly_WithItsHealthAndChecks()
    {
        await using var meta = await MetaGateway.StartAsync();
        var sandbox = await meta.Gateway.CreateNumberAsync("cloud");
        var number = await meta.NumberAsync("cloud");
        await meta.Gateway.SetWabaWebhookAsync(number, "http://127.0.0.1:9/hook");
        await meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", "wamid.REAL1", "Is the shop open?", "Ana")));
        await GatewayServer.ReadJsonAsync(await meta.SendAsync(HttpMethod.Post, "/messages", number.ApiKey,
            """{"messaging_product":"whatsapp","to":"16505551234","type":"text","text":{"body":"Until 8 tonight"}}"""), 200);
        await meta.PostWebhookAsync(MetaGateway.AccountChange("phone_number_quality_update",
            $$"""{"display_phone_number":"{{number.PhoneNumber}}","event":"UPGRADE","current_limit":"TIER_10K"}"""));

        var browser = await fixture.BrowserAsync();
        await using var page = await browser.NewPageAsync();
        await page.GoToAsync($"{meta.Gateway.BaseAddress}sandbox#number={sandbox.Id}");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        // Without the token only the sandbox number is listed, and the page offers to show the real one.
        Assert.Equal(1, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#number option').length"));
        await page.ClickAsync("#show-real-numbers:not([hidden])");
        await page.WaitForSelectorAsync("#token-dialog[open]");
        await page.TypeAsync("#token-input", GatewayServer.AdminToken);
        await page.ClickAsync("#token-form button[type='submit']");
        await WaitForAsync(page, "() => document.querySelectorAll('#number option').length === 2");

        await page.SelectAsync("#number", number.Id);
        await WaitForAsync(page, "() => document.body.dataset.readOnly === 'true' && document.querySelector('#messages li')");
        Assert.Contains("real (Meta)", await page.EvaluateFunctionAsync<string>("() => document.querySelector('#number').selectedOptions[0].textContent"),
            StringComparison.Ordinal);
        await WaitForAsync(page, "() => document.querySelectorAll('#messages li.message').length === 2");
        Assert.Equal("Is the shop open?", await page.EvaluateFunctionAsync<string>("() => document.querySelector('#messages li.inbound .text').textContent"));
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => getComputedStyle(document.querySelector('#composer')).display === 'none'"));
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => getComputedStyle(document.querySelector('#new-chat')).display === 'none'"));
        Assert.Equal(0, await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#messages .message-tools').length"));

        await WaitForAsync(page, "() => document.querySelector('#health-facts')?.textContent.includes('TIER_10K')");
        Assert.False(await page.EvaluateFunctionAsync<bool>("() => document.querySelector('#health').hidden"));
        await page.ClickAsync("#health-check");
        await WaitForAsync(page, "() => document.querySelector(\"#health-checks li[data-check='access_token']\")");
        Assert.True(await page.EvaluateFunctionAsync<int>("() => document.querySelectorAll('#health-checks li').length") >= 8);

        // The delivery log of the real number is there too (every panel is on screen at desktop width).
        await WaitForAsync(page, "() => document.querySelector(\"#delivery-list li[data-event-id]\")");

        // Back on the sandbox number, everything the sandbox has is there again.
        await page.SelectAsync("#number", sandbox.Id);
        await WaitForAsync(page, "() => document.body.dataset.readOnly === 'false'");
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => document.querySelector('#health').hidden"));
        Assert.True(await page.EvaluateFunctionAsync<bool>("() => getComputedStyle(document.querySelector('#new-chat')).display !== 'none'"));
        Assert.Empty(browser.ErrorsOf(page));
    }

    [Fact]
    public async Task ARealNumbersChat_CannotBeWrittenToAsTheUser_EvenThroughTheApi()
    {
        await using var meta = await MetaGateway.StartAsync();
        var number = await meta.NumberAsync("cloud");
        await meta.PostWebhookAsync(MetaGateway.NumberChange(number, MetaGateway.TextFrom("16505551234", "wamid.REAL2", "hi")));

        var withoutToken = await meta.Gateway.Http.GetAsync($"/sandbox/v1/numbers/{number.Id}/chats", Ct);
        Assert.Equal(404, (int)withoutToken.StatusCode);
        using var write = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/16505551234/messages")
        {
            Content = new StringContent("""{"type":"text","text":{"body":"forged"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        write.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayServer.AdminToken);
        Assert.Equal(409, (int)(await meta.Gateway.Http.SendAsync(write, Ct)).StatusCode);
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/sandbox/v1/numbers/{number.Id}/chats/16505551234");
        read.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayServer.AdminToken);
        var chat = await GatewayServer.ReadJsonAsync(await meta.Gateway.Http.SendAsync(read, Ct), 200);
        Assert.True(chat.GetProperty("read_only").GetBoolean());
        Assert.Single(chat.GetProperty("messages").EnumerateArray());
    }
}
