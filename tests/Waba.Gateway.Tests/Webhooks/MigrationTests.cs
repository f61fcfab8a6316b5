using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Webhooks;

/// <summary>360dialog's migration rule, step by step, with the events checked at the receiver after each step.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task Migration_FirstMoveSetsWabaWebhook_SecondMoveDoesNot_WabaWebhookCallChangesIt()
    {
        await using var gateway = await GatewayServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var waba = await gateway.CreateWabaAsync();
        var a = await gateway.CreateNumberAsync("on_premise", waba);
        var b = await gateway.CreateNumberAsync("on_premise", waba);
        await gateway.SetNumberWebhookAsync(a, receiver.Url("/a"));
        await gateway.SetNumberWebhookAsync(b, receiver.Url("/b"));

        async Task<ReceivedWebhook> InboundAsync(TestNumber number, string text)
        {
            var accepted = await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = text } });
            Assert.Equal(202, (int)accepted.StatusCode);
            return (await receiver.WaitForAsync(r => r.Any(x => x.Body.Contains(text, StringComparison.Ordinal)), what: text))
                .Single(x => x.Body.Contains(text, StringComparison.Ordinal));
        }

        // Before: On-Premise shape, each number's own webhook.
        var before = await InboundAsync(b, "before");
        Assert.Equal("/b", before.Path);
        Assert.True(before.Json.TryGetProperty("messages", out _));

        // Step 1: the first number to move makes its webhook the WABA webhook; its events turn Cloud-shaped.
        var moved = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{a.Id}/migrate", new { hosting_type = "cloud" }), 200);
        Assert.Equal("cloud", moved.GetProperty("hosting_type").GetString());
        var wabaWebhook = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/waba_webhook", a.ApiKey), TestContext.Current.CancellationToken), 200);
        Assert.Equal(receiver.Url("/a"), wabaWebhook.GetProperty("url").GetString());
        var step1 = await InboundAsync(a, "step one");
        Assert.Equal("/a", step1.Path);
        Assert.Equal("whatsapp_business_account", step1.Json.GetProperty("object").GetString());
        Assert.Equal(waba, step1.Json.GetProperty("entry")[0].GetProperty("id").GetString());
        var stillOnPremise = await InboundAsync(b, "b still on premise");
        Assert.Equal("/b", stillOnPremise.Path);
        Assert.False(stillOnPremise.Json.TryGetProperty("object", out _));

        // Step 2: a later move leaves the WABA webhook alone; the moved number's events follow it.
        await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{b.Id}/migrate", new { hosting_type = "cloud" }), 200);
        var step2 = await InboundAsync(b, "step two");
        Assert.Equal("/a", step2.Path);
        Assert.Equal("whatsapp_business_account", step2.Json.GetProperty("object").GetString());
        Assert.Equal(b.PhoneNumberId, step2.Json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value").GetProperty("metadata").GetProperty("phone_number_id").GetString());

        // Step 3: from now on only POST /waba_webhook changes it.
        await gateway.SetWabaWebhookAsync(b, receiver.Url("/c"));
        Assert.Equal("/c", (await InboundAsync(a, "step three a")).Path);
        Assert.Equal("/c", (await InboundAsync(b, "step three b")).Path);

        // A moved number sends in the Cloud dialect now.
        var oldDialect = await gateway.PostAsync("/v1/messages", a.ApiKey, new { to = "4915112345678", text = new { body = "hi" } });
        Assert.Equal(400, (int)oldDialect.StatusCode);
        var again = await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{a.Id}/migrate", new { hosting_type = "cloud" });
        Assert.Equal(409, (int)again.StatusCode);
    }
}
