using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Waba.Gateway.Tests.Infrastructure;
using Waba.Gateway.Webhooks.UrlPolicy;

namespace Waba.Gateway.Tests.Webhooks;

/// <summary>The retry schedule against an injected clock, receiver back-off, replay, the test call and the connect-time guard.</summary>
public sealed class DeliveryControlTests
{
    private static async Task<JsonElement> DeliveryAsync(GatewayServer gateway, string numberId, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var log = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={numberId}"), 200);
            var delivery = log.GetProperty("data").EnumerateArray().FirstOrDefault();
            if (delivery.ValueKind == JsonValueKind.Object && until(delivery))
            {
                return delivery;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery log never got there: {log}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static List<DateTimeOffset> AttemptTimes(JsonElement delivery) =>
        [.. delivery.GetProperty("attempts").EnumerateArray().Select(a => DateTimeOffset.Parse(a.GetProperty("started_at").GetString()!, CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Retry_FollowsTheScheduleOnTheInjectedClock()
    {
        var start = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var receiver = await WebhookReceiver.StartAsync(respond: n => n <= 3 ? 500 : 200);
        await using var gateway = await GatewayServer.StartAsync(
            new Dictionary<string, string> { ["Webhooks:RetryDelays"] = "5s,30s,2m,5m", ["Webhooks:RetryJitter"] = "0" },
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var number = await gateway.CreateNumberAsync("on_premise");
        await gateway.SetNumberWebhookAsync(number, receiver.Url());

        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "on the clock" } });

        var delivery = await DeliveryAsync(gateway, number.Id, d => d.GetProperty("attempts").GetArrayLength() == 1);
        Assert.Equal(start.AddSeconds(5), DateTimeOffset.Parse(delivery.GetProperty("next_attempt_at").GetString()!, CultureInfo.InvariantCulture));
        clock.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(receiver.Received); // not due yet
        clock.Advance(TimeSpan.FromSeconds(1));
        await DeliveryAsync(gateway, number.Id, d => d.GetProperty("attempts").GetArrayLength() == 2);
        clock.Advance(TimeSpan.FromSeconds(30));
        await DeliveryAsync(gateway, number.Id, d => d.GetProperty("attempts").GetArrayLength() == 3);
        clock.Advance(TimeSpan.FromMinutes(2));
        delivery = await DeliveryAsync(gateway, number.Id, d => d.GetProperty("state").GetString() == "delivered");

        Assert.Equal([start, start.AddSeconds(5), start.AddSeconds(35), start.AddSeconds(155)], AttemptTimes(delivery));
        Assert.Equal([500, 500, 500, 200], receiver.Received.Select(r => r.AnsweredWith));
    }

    [Fact]
    public async Task FailingReceiver_IsBackedOffAsAWhole_AndFirstSuccessResumes()
    {
        const int Events = 40;
        var failing = true;
        await using var receiver = await WebhookReceiver.StartAsync(respond: _ => Volatile.Read(ref failing) ? 500 : 200);
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Webhooks:RetryDelays"] = "50ms",
            ["Webhooks:EndpointBackoffThreshold"] = "5",
            ["Webhooks:MaxConcurrencyPerEndpoint"] = "8",
            ["Webhooks:EndpointBackoffMax"] = "2s",
        });
        var number = await gateway.CreateNumberAsync("on_premise");
        await gateway.SetNumberWebhookAsync(number, receiver.Url());
        for (var i = 0; i < Events; i++)
        {
            await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = $"e{i}" } });
        }

        await Task.Delay(3000, TestContext.Current.CancellationToken);
        var duringOutage = receiver.Received.Count;
        // Without back-off each event would be tried every 50 ms: about 60 attempts each, 2,400 in all, in 3 s.
        // With it: the attempts in flight when the threshold is crossed, then one probe per pause (1 s, 2 s).
        Assert.InRange(duringOutage, 5, Events);

        Volatile.Write(ref failing, false);
        var received = await receiver.WaitForAsync(r => r.Where(x => x.AnsweredWith == 200).Select(x => x.EventId).Distinct().Count() == Events,
            TimeSpan.FromSeconds(20), "every event after recovery");
        Assert.True(received.Count - duringOutage < Events * 3, $"{received.Count - duringOutage} requests after recovery");
    }

    [Fact]
    public async Task Replay_OneFailedEvent_DeliversItAndKeepsItsAttempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(respond: _ => 503);
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Webhooks:RetryDelays"] = "100ms", ["Webhooks:MaxAge"] = "300ms" });
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, receiver.Url());
        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "replay me" } });
        var failed = await DeliveryAsync(gateway, number.Id, d => d.GetProperty("state").GetString() == "failed");
        var failedAttempts = failed.GetProperty("attempts").GetArrayLength();

        receiver.Respond = _ => 200;
        var eventId = failed.GetProperty("event_id").GetString()!;
        var replay = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/deliveries/{eventId}/replay"), 202);
        Assert.Equal(1, replay.GetProperty("replayed").GetInt32());

        var delivered = await DeliveryAsync(gateway, number.Id, d => d.GetProperty("state").GetString() == "delivered");
        Assert.Equal(failedAttempts + 1, delivered.GetProperty("attempts").GetArrayLength());
        Assert.All(receiver.Received, r => Assert.Equal(eventId, r.EventId));
        await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, "/admin/v1/deliveries/evt_missing/replay"), 404);
    }

    [Fact]
    public async Task Replay_FailedEventsOfANumberInARange_LeavesOthersAlone()
    {
        await using var receiver = await WebhookReceiver.StartAsync(respond: _ => 500);
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Webhooks:RetryDelays"] = "100ms", ["Webhooks:MaxAge"] = "200ms" });
        var number = await gateway.CreateNumberAsync("on_premise");
        var other = await gateway.CreateNumberAsync("on_premise");
        await gateway.SetNumberWebhookAsync(number, receiver.Url("/mine"));
        await gateway.SetNumberWebhookAsync(other, receiver.Url("/other"));
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 3; i++)
        {
            await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = $"mine {i}" } });
        }
        await gateway.PostAsync("/sandbox/v1/inbound", other.ApiKey, new { from = "4915199999999", text = new { body = "other" } });
        foreach (var id in new[] { number.Id, other.Id })
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={id}&state=pending"), 200))
                .GetProperty("data").GetArrayLength() > 0)
            {
                Assert.True(DateTime.UtcNow < deadline);
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        receiver.Respond = _ => 200;
        var replay = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, "/admin/v1/deliveries/replay",
            new { number_id = number.Id, from, to = DateTimeOffset.UtcNow.AddSeconds(1) }), 202);
        Assert.Equal(3, replay.GetProperty("replayed").GetInt32());

        await receiver.WaitForAsync(r => r.Count(x => x.AnsweredWith == 200) >= 3, what: "three replayed events");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(3, receiver.Received.Count(r => r.AnsweredWith == 200 && r.Path == "/mine"));
        Assert.DoesNotContain(receiver.Received, r => r.AnsweredWith == 200 && r.Path == "/other");
    }

    [Fact]
    public async Task WebhookTestCall_ReportsTheReceiversAnswerAndLatency()
    {
        await using var receiver = await WebhookReceiver.StartAsync(respond: n => n == 1 ? 200 : 418);
        await using var gateway = await GatewayServer.StartAsync();
        var number = await gateway.CreateNumberAsync("cloud");
        await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{number.Id}/webhook/test"), 404);
        await gateway.SetWabaWebhookAsync(number, receiver.Url());

        var ok = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{number.Id}/webhook/test"), 200);
        Assert.True(ok.GetProperty("succeeded").GetBoolean());
        Assert.Equal(200, ok.GetProperty("status_code").GetInt32());
        Assert.True(ok.GetProperty("latency_ms").GetDouble() > 0);
        var sample = Assert.Single(receiver.Received);
        Assert.Equal("whatsapp_business_account", sample.Json.GetProperty("object").GetString());
        Assert.Contains("Test event", sample.Body, StringComparison.Ordinal);
        Assert.True(sample.Headers.ContainsKey("webhook-signature"));

        var teapot = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{number.Id}/webhook/test"), 200);
        Assert.False(teapot.GetProperty("succeeded").GetBoolean());
        Assert.Equal(418, teapot.GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task ProductionPolicy_HostRebindingToLoopback_IsRefusedAtConnectTime()
    {
        // Public when the URL is checked, loopback afterwards: DNS rebinding. Nothing is dialled either time.
        var dns = new StubResolver().Answer("hooks.example.com", ["93.184.216.34"], ["127.0.0.1"]);
        await using var gateway = await GatewayServer.StartAsync(
            new Dictionary<string, string> { ["Webhooks:Policy"] = "production" },
            services => services.AddSingleton<IHostResolver>(dns));
        var number = await gateway.CreateNumberAsync("cloud");
        var local = await gateway.PostAsync("/waba_webhook", number.ApiKey, new { url = "http://127.0.0.1:9/hook" });
        Assert.Equal(400, (int)local.StatusCode);
        await gateway.SetWabaWebhookAsync(number, "https://hooks.example.com/hook");

        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = "hi" } });

        var delivery = await DeliveryAsync(gateway, number.Id, d => d.GetProperty("attempts").GetArrayLength() >= 1);
        var attempt = delivery.GetProperty("attempts")[0];
        Assert.Contains("non-public", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(attempt.TryGetProperty("status_code", out _));
    }
}
