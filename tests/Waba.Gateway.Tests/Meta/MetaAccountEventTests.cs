using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>
/// Issue 21 (2): account-level webhooks (<c>entry[].id</c> = the WABA at Meta, no metadata) reach the WABA webhook in
/// Meta's shape, and what they say of the number and the WABA is kept and shown.
/// </summary>
public sealed class MetaAccountEventTests : IAsyncLifetime
{
    private MetaGateway _meta = null!;
    private WebhookReceiver _waba = null!;
    private WebhookReceiver _number = null!;

    public async ValueTask InitializeAsync()
    {
        _meta = await MetaGateway.StartAsync();
        _waba = await WebhookReceiver.StartAsync();
        _number = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _meta.DisposeAsync();
        await _waba.DisposeAsync();
        await _number.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TemplateStatusUpdate_ReachesTheWabaWebhook_NotTheNumbersOverride_InMetasShape()
    {
        var number = await _meta.NumberAsync("cloud");
        await _meta.Gateway.SetWabaWebhookAsync(number, _waba.Url());
        await _meta.Gateway.SetNumberWebhookAsync(number, _number.Url());
        const string Value = """{"event":"REJECTED","message_template_id":594425479261596,"message_template_name":"order_update","message_template_language":"en_US","reason":"INVALID_FORMAT","rejection_info":{"reason":"The body has a variable at its start","recommendation":"Start with text"}}""";

        Assert.Equal(200, (int)(await _meta.PostWebhookAsync(MetaGateway.AccountChange("message_template_status_update", Value))).StatusCode);

        var webhook = Assert.Single(await _waba.WaitForAsync(r => r.Count >= 1)).Json;
        Assert.Equal("whatsapp_business_account", webhook.GetProperty("object").GetString());
        var entry = webhook.GetProperty("entry")[0];
        Assert.Equal(number.WabaId, entry.GetProperty("id").GetString());
        Assert.Equal(1764763200, entry.GetProperty("time").GetInt64());
        var change = entry.GetProperty("changes")[0];
        Assert.Equal("message_template_status_update", change.GetProperty("field").GetString());
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(Value),
            System.Text.Json.Nodes.JsonNode.Parse(change.GetProperty("value").GetRawText())));
        Assert.Empty(_number.Received);

        var log = await GatewayServer.ReadJsonAsync(await _meta.Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}"), 200);
        Assert.Equal("template.rejected", Assert.Single(log.GetProperty("data").EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task AnOnPremiseOnlyWaba_GetsAccountEventsAtItsNumbersWebhook_InMetasShape()
    {
        var number = await _meta.NumberAsync("on_premise", metaWabaId: "777000111222333");
        await _meta.Gateway.SetNumberWebhookAsync(number, _number.Url());

        await _meta.PostWebhookAsync(MetaGateway.AccountChange("account_update",
            """{"phone_number":"15550783881","event":"ACCOUNT_RESTRICTION","restriction_info":[{"restriction_type":"RESTRICTED_BIZ_INITIATED_MESSAGING","expiration":"2026-12-10T13:59:20+0000"}]}""",
            "777000111222333"));

        var webhook = Assert.Single(await _number.WaitForAsync(r => r.Count >= 1)).Json;
        Assert.Equal("account_update", webhook.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task QualityAndAccountUpdates_AreKept_AndShownOnTheNumber()
    {
        var number = await _meta.NumberAsync("cloud");
        await _meta.PostWebhookAsync(MetaGateway.AccountChange("phone_number_quality_update",
            $$"""{"display_phone_number":"{{number.PhoneNumber}}","event":"FLAGGED","current_limit":"TIER_1K","max_daily_conversations_per_business":1000}"""));
        await _meta.PostWebhookAsync(MetaGateway.AccountChange("account_update",
            """{"event":"ACCOUNT_RESTRICTION","restriction_info":[{"restriction_type":"RESTRICTED_ADD_PHONE_NUMBER_ACTION","expiration":"2026-12-10T13:59:20+0000"}]}"""));
        await _meta.PostWebhookAsync(MetaGateway.AccountChange("phone_number_quality_update",
            $$"""{"display_phone_number":"+{{number.PhoneNumber}}","event":"UNFLAGGED","current_limit":"TIER_10K"}"""));

        var shown = await GatewayServer.ReadJsonAsync(await _meta.Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}"), 200);
        var state = shown.GetProperty("state");
        Assert.Equal("TIER_10K", state.GetProperty("number").GetProperty("messaging_limit_tier").GetString());
        Assert.Equal("UNFLAGGED", state.GetProperty("number").GetProperty("quality_event").GetString());
        Assert.Equal(1000, state.GetProperty("number").GetProperty("max_daily_conversations_per_business").GetInt32());
        Assert.Equal("RESTRICTED_ADD_PHONE_NUMBER_ACTION",
            state.GetProperty("waba").GetProperty("restrictions")[0].GetProperty("restriction_type").GetString());
    }

    [Fact]
    public async Task NumberInfoFromMeta_IsKeptAsTheNumbersState()
    {
        var number = await _meta.NumberAsync("cloud");
        var info = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, $"/v26.0/{number.PhoneNumberId}?fields=quality_rating,verified_name", number.ApiKey), 200);
        Assert.Equal("YELLOW", info.GetProperty("quality_rating").GetString());

        var shown = await GatewayServer.ReadJsonAsync(await _meta.Gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}"), 200);
        Assert.Equal("YELLOW", shown.GetProperty("state").GetProperty("number").GetProperty("quality_rating").GetString());
    }

    [Fact]
    public async Task AccountEventForAWabaNobodyHas_IsKept_AndAnswered200()
    {
        Assert.Equal(200, (int)(await _meta.PostWebhookAsync(MetaGateway.AccountChange("account_update", """{"event":"VERIFIED_ACCOUNT"}""", "123123123"))).StatusCode);
        await Task.Delay(200, Ct);
        Assert.Empty(_waba.Received);
    }
}
