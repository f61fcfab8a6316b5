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
