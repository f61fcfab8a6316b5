using System.Diagnostics.Metrics;

namespace Waba.Gateway.Operations;

/// <summary>
/// The gateway's own instruments (meter <c>Waba.Gateway</c>), exported at <c>/metrics</c> with ASP.NET Core's request
/// metrics. Queue figures come from <see cref="QueueStatsSampler"/>, which reads the database every few seconds.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Waba.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _messagesAccepted;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _attemptDuration;
    private readonly Counter<long> _slowAttempts;

    public GatewayMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _messagesAccepted = _meter.CreateCounter<long>("waba.messages.accepted", "{message}", "Messages accepted for sending, by type and dialect.");
        _deliveries = _meter.CreateCounter<long>("waba.deliveries", "{attempt}", "Delivery attempts by outcome: delivered, retry, failed, deferred.");
        _attemptDuration = _meter.CreateHistogram<double>("waba.delivery.attempt.duration", "s", "Time from request to the receiver's answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.08, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _slowAttempts = _meter.CreateCounter<long>("waba.delivery.slow_attempts", "{attempt}", "Attempts slower than Webhooks:SlowAttemptThreshold, by receiver.");
        _meter.CreateObservableGauge("waba.queue.pending", () => Queue.Pending, "{event}", "Events waiting for delivery.");
        _meter.CreateObservableGauge("waba.queue.oldest_pending_age", () => Queue.OldestPendingAge.TotalSeconds, "s", "Age of the oldest event waiting for delivery.");
    }

    /// <summary>The latest queue reading.</summary>
    public (long Pending, TimeSpan OldestPendingAge) Queue { get; set; }

    public void MessageAccepted(string type, string dialect) =>
        _messagesAccepted.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("dialect", dialect));

    public void DeliveryOutcome(string outcome) => _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Attempt(TimeSpan duration, bool succeeded, bool slow, string receiver)
    {
        _attemptDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("succeeded", succeeded));
        if (slow)
        {
            _slowAttempts.Add(1, new KeyValuePair<string, object?>("receiver", receiver));
        }
    }

    public void Dispose() => _meter.Dispose();
}
