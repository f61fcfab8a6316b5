using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Tests.Webhooks.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static RetrySchedule Default() => new(
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
         TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2)],
        TimeSpan.FromHours(24));

    [Fact]
    public void AfterFailure_FollowsDelaysInOrderThenRepeatsTheLast()
    {
        var schedule = Default();
        var now = Start;
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var outcome = schedule.AfterFailure(Start, attempt, now);
            Assert.Equal(DeliveryState.Pending, outcome.State);
            delays.Add(outcome.NextAttemptAt!.Value - now);
            now = outcome.NextAttemptAt.Value;
        }
        Assert.Equal(
            [5, 30, 120, 300, 900, 1800, 3600, 7200, 7200, 7200],
            delays.Select(d => (int)d.TotalSeconds));
    }

    [Fact]
    public void AfterFailure_KeepsTryingUntilTheEventIs24HoursOld_ThenFails()
    {
        var schedule = Default();
        var now = Start;
        var attempts = 0;
        DeliveryOutcome outcome;
        do
        {
            attempts++;
            outcome = schedule.AfterFailure(Start, attempts, now);
            if (outcome.NextAttemptAt is { } next)
            {
                Assert.True(next <= Start.AddHours(24), "no attempt is scheduled after the deadline");
                now = next;
            }
        }
        while (outcome.State == DeliveryState.Pending);

        Assert.Equal(DeliveryState.Failed, outcome.State);
        Assert.Equal(Start.AddHours(24), now); // the last attempt is made at the deadline itself
        Assert.InRange(attempts, 18, 20);
    }

    [Fact]
    public void AfterFailure_NearTheDeadline_SchedulesTheLastAttemptAtTheDeadline()
    {
        var schedule = new RetrySchedule([TimeSpan.FromMinutes(10)], TimeSpan.FromHours(1));
        var outcome = schedule.AfterFailure(Start, 3, Start.AddMinutes(55));
        Assert.Equal(Start.AddHours(1), outcome.NextAttemptAt);
    }
}
