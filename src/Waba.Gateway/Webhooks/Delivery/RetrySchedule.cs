using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>
/// When a failed delivery is tried again: the configured delays in order, the last one repeating, until the
/// event reaches its maximum age. The last attempt is made at that deadline; after it the event is failed.
/// </summary>
public sealed class RetrySchedule
{
    private readonly TimeSpan[] _delays;

    public RetrySchedule(IReadOnlyList<TimeSpan> delays, TimeSpan maxAge)
    {
        if (delays.Count == 0)
        {
            throw new ArgumentException("At least one delay is needed.", nameof(delays));
        }
        _delays = [.. delays];
        MaxAge = maxAge;
    }

    public RetrySchedule(IOptions<WebhooksOptions> options)
        : this(options.Value.RetryDelays.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Durations.Parse(d, "Webhooks:RetryDelays")).ToArray(),
            Durations.Parse(options.Value.MaxAge, "Webhooks:MaxAge"))
    {
    }

    public TimeSpan MaxAge { get; }

    /// <summary>The delay after the <paramref name="failedAttempts"/>-th failed attempt (1-based).</summary>
    public TimeSpan DelayAfter(int failedAttempts) => _delays[Math.Clamp(failedAttempts - 1, 0, _delays.Length - 1)];

    public DeliveryOutcome AfterFailure(DateTimeOffset occurredAt, int failedAttempts, DateTimeOffset now)
    {
        var deadline = occurredAt + MaxAge;
        if (now >= deadline)
        {
            return new DeliveryOutcome(DeliveryState.Failed, null);
        }
        var next = now + DelayAfter(failedAttempts);
        return new DeliveryOutcome(DeliveryState.Pending, next < deadline ? next : deadline);
    }
}
