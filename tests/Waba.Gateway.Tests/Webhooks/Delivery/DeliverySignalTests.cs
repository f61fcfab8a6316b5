using Microsoft.Extensions.Time.Testing;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Tests.Webhooks.Delivery;

/// <summary>The worker's wake-up: at once for work due now, at its due time for work planned later, never for work after its deadline.</summary>
public sealed class DeliverySignalTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkDueNow_WakesAtOnce()
    {
        var clock = new FakeTimeProvider(T0);
        using var signal = new DeliverySignal();
        var wait = signal.WaitAsync(TimeSpan.FromMinutes(1), clock, Ct);

        signal.Notify();

        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(T0, clock.GetUtcNow());
    }

    [Fact]
    public async Task WorkDueLater_WakesWhenItIsDue()
    {
        var clock = new FakeTimeProvider(T0);
        using var signal = new DeliverySignal();
        var wait = signal.WaitAsync(TimeSpan.FromMinutes(1), clock, Ct);

        signal.Notify(T0.AddSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task WorkDueAfterTheDeadline_DoesNotShortenTheWait_AndCountsNextTime()
    {
        var clock = new FakeTimeProvider(T0);
        using var signal = new DeliverySignal();
        var wait = signal.WaitAsync(TimeSpan.FromSeconds(30), clock, Ct);

        signal.Notify(T0.AddMinutes(5));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        // Two notifications before a wait: the earlier due time wins.
        signal.Notify(T0.AddMinutes(1));
        signal.Notify(T0.AddSeconds(40));
        var next = signal.WaitAsync(TimeSpan.FromMinutes(10), clock, Ct);
        clock.Advance(TimeSpan.FromSeconds(10));
        await next.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(T0.AddSeconds(40), clock.GetUtcNow());
    }
}
