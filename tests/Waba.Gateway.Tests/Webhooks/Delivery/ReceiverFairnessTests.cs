using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Webhooks.Delivery;

/// <summary>One receiver that never answers must not hold the worker's slots: another receiver's events keep flowing.</summary>
public sealed class ReceiverFairnessTests
{
    [Fact]
    public async Task A_hanging_receiver_holds_only_its_own_slots_and_the_other_receiver_gets_every_event()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var stuck = builder.Build();
        stuck.Run(async context =>
        {
            Interlocked.Increment(ref hanging);
            await release.Task;
            context.Response.StatusCode = 200;
        });
        await stuck.StartAsync(TestContext.Current.CancellationToken);
        await using var healthy = await WebhookReceiver.StartAsync();
        // Four worker slots, two per receiver: before the fix, stuck events filled all four and the healthy receiver waited.
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Webhooks:MaxConcurrency"] = "4",
            ["Webhooks:MaxConcurrencyPerEndpoint"] = "2",
            ["Webhooks:AttemptTimeout"] = "30s",
        });
        var slow = await gateway.CreateNumberAsync("on_premise");
        var fast = await gateway.CreateNumberAsync("on_premise");
        await gateway.SetNumberWebhookAsync(slow, new Uri(new Uri(stuck.Urls.First()), "/hook").ToString());
        await gateway.SetNumberWebhookAsync(fast, healthy.Url());

        for (var i = 0; i < 10; i++)
        {
            await gateway.PostAsync("/sandbox/v1/inbound", slow.ApiKey, new { from = "4915100000301", text = new { body = $"slow {i}" } });
        }
        for (var i = 0; i < 10; i++)
        {
            await gateway.PostAsync("/sandbox/v1/inbound", fast.ApiKey, new { from = "4915100000302", text = new { body = $"fast {i}" } });
        }

        await healthy.WaitForAsync(r => r.Count >= 10, what: "all ten events of the healthy receiver while the other hangs");
        Assert.Equal(2, Volatile.Read(ref hanging)); // the hanging receiver has its two slots, no more
        release.SetResult();
        await stuck.StopAsync(TestContext.Current.CancellationToken);
    }
}
