using Microsoft.Extensions.Options;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Tests.Webhooks.Delivery;

public sealed class EndpointHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private const string Key = "https://hooks.example.com";

    private static EndpointHealth Health() =>
        new(Options.Create(new WebhooksOptions { EndpointBackoffThreshold = 3, EndpointBackoffMax = "4s" }));

    [Fact]
    public void NextTurn_ABusyReceiversDeliveriesComeBackAtItsPace_NotAllAtOnce()
    {
        using var health = new EndpointHealth(Options.Create(new WebhooksOptions { MaxConcurrencyPerEndpoint = 4 }));
        var typical = TimeSpan.FromMilliseconds(400);

        var turns = Enumerable.Range(0, 5).Select(_ => health.NextTurn(Key, T0, typical));
        Assert.Equal([400.0, 500, 600, 700, 800], turns.Select(t => (t - T0).TotalMilliseconds));
        Assert.Equal(T0.AddMilliseconds(400), health.NextTurn("https://other.example.com", T0, typical)); // its own turns

        // Once the booked turns have passed, the next one comes back after one typical attempt again.
        Assert.Equal(T0.AddSeconds(10.4), health.NextTurn(Key, T0.AddSeconds(10), typical));

        // A receiver never measured, or answering fast, still gets a short wait; no booking reaches past the horizon.
        Assert.Equal(T0.AddMilliseconds(20), health.NextTurn("https://new.example.com", T0, TimeSpan.Zero));
        for (var i = 0; i < 1_000; i++)
        {
            health.NextTurn(Key, T0.AddSeconds(10), typical);
        }
        Assert.Equal(T0.AddSeconds(10) + EndpointHealth.TurnHorizon, health.NextTurn(Key, T0.AddSeconds(10), typical));
    }

    [Fact]
    public void BelowThreshold_AttemptsGoAhead()
    {
        using var health = Health();
        health.Report(Key, false, false, T0);
        health.Report(Key, false, false, T0);
        Assert.Equal((null, false), health.Admit(Key, T0));
    }

    [Fact]
    public void AtThreshold_PausesThenAdmitsOneProbe_FailedProbesDoubleThePauseUpToTheMax()
    {
        using var health = Health();
        for (var i = 0; i < 3; i++)
        {
            health.Report(Key, false, false, T0);
        }
        Assert.Equal(T0.AddSeconds(1), health.Admit(Key, T0).DeferUntil);
        health.Report(Key, false, false, T0.AddMilliseconds(10)); // an attempt already in flight: no longer pause
        Assert.Equal(T0.AddSeconds(1), health.Admit(Key, T0.AddMilliseconds(500)).DeferUntil);

        var probeTime = T0.AddSeconds(1);
        Assert.Equal((null, true), health.Admit(Key, probeTime));
        Assert.NotNull(health.Admit(Key, probeTime).DeferUntil); // one probe at a time
        health.Report(Key, false, true, probeTime);
        Assert.Equal(probeTime.AddSeconds(2), health.Admit(Key, probeTime).DeferUntil);

        var second = probeTime.AddSeconds(2);
        Assert.True(health.Admit(Key, second).Probe);
        health.Report(Key, false, true, second);
        Assert.Equal(second.AddSeconds(4), health.Admit(Key, second).DeferUntil);
        var third = second.AddSeconds(4);
        Assert.True(health.Admit(Key, third).Probe);
        health.Report(Key, false, true, third);
        Assert.Equal(third.AddSeconds(4), health.Admit(Key, third).DeferUntil); // capped
    }

    [Fact]
    public void FirstSuccess_ResumesNormalPace()
    {
        using var health = Health();
        for (var i = 0; i < 3; i++)
        {
            health.Report(Key, false, false, T0);
        }
        var probe = health.Admit(Key, T0.AddSeconds(1));
        Assert.True(probe.Probe);
        health.Report(Key, true, true, T0.AddSeconds(1));
        Assert.Equal((null, false), health.Admit(Key, T0.AddSeconds(1)));
        Assert.Equal((null, false), health.Admit("https://other.example.com", T0));
    }
}
