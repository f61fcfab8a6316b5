using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Webhooks;

/// <summary>Issue 22 (2): setting a webhook makes what waited for one due at once, not on its retry schedule.</summary>
public sealed class WebhookSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task EventsWaitingForAWebhook_ArriveAsSoonAsOneIsSet(string hosting)
    {
        // The next attempt of an event that found no webhook is an hour away.
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Webhooks:RetryDelays"] = "1h" });
        await using var receiver = await WebhookReceiver.StartAsync();
        var number = await gateway.CreateNumberAsync(hosting);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "hi" } }), 202);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}"), 200))
            .GetProperty("data")[0].GetProperty("attempts").GetArrayLength() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the event was never attempted");
            await Task.Delay(50, Ct);
        }

        if (hosting == "cloud")
        {
            await gateway.SetWabaWebhookAsync(number, receiver.Url());
        }
        else
        {
            await gateway.SetNumberWebhookAsync(number, receiver.Url());
        }

        var received = await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(10), "the waiting event, right after the webhook was set");
        Assert.Contains("hi", received[0].Body, StringComparison.Ordinal);
    }
}
