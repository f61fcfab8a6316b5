using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>
/// When a failed delivery is tried again: the configured delays in order, the last one repeating, each spread by the
/// jitter, until the retry window (from the event, or from its last replay) reaches the maximum age. The last attempt
/// is made at that deadline; after it the event is failed.
/// </summary>
public sealed class RetrySchedule
{
    private readonly TimeSpan[] _delays;
    private readonly double _jitter;
    private readonly Func<double> _random;

    /// <param name="random">Uniform in [0, 1); tests pass a fixed value.</param>
    public RetrySchedule(IReadOnlyList<TimeSpan> delays, TimeSpan maxAge, double jitter = 0, Func<double>? random = null)
    {
        if (delays.Count == 0)
        {
            throw new ArgumentException("At least one delay is needed.", nameof(delays));
        }
        _delays = [.. delays];
        _jitter = jitter;
        _random = random ?? Random.Shared.NextDouble;
        MaxAge = maxAge;
    }

    public RetrySchedule(IOptions<WebhooksOptions> options)
        : this(options.Value.RetryDelays.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Durations.Parse(d, "Webhooks:RetryDelays")).ToArray(),
            Durations.Parse(options.Value.MaxAge, "Webhooks:MaxAge"),
            options.Value.RetryJitter)
    {
    }

    public TimeSpan MaxAge { get; }

    /// <summary>The delay after the <paramref name="failedAttempts"/>-th failed attempt (1-based), jitter included.</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var delay = _delays[Math.Clamp(failedAttempts - 1, 0, _delays.Length - 1)];
        return _jitter == 0 ? delay : delay * (1 + (_jitter * ((2 * _random()) - 1)));
    }

    public DeliveryOutcome AfterFailure(DateTimeOffset windowStart, int failedAttempts, DateTimeOffset now)
    {
        var deadline = windowStart + MaxAge;
        if (now >= deadline)
        {
            return new DeliveryOutcome(DeliveryState.Failed, null);
        }
        var next = now + DelayAfter(failedAttempts);
        return new DeliveryOutcome(DeliveryState.Pending, next < deadline ? next : deadline);
    }
}
