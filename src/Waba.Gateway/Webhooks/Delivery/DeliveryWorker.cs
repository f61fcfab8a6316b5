using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Operations;
using Waba.Gateway.Storage;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>
/// Claims due deliveries under a lease and attempts them, up to <see cref="WebhooksOptions.MaxConcurrency"/> at once.
/// Claims run one batch ahead of the free slots, so a slot that frees takes its next delivery without a claim; attempts
/// and outcomes are recorded in batches by a <see cref="DeliveryRecorder"/>. A worker that dies leaves its leases to expire.
/// </summary>
internal sealed partial class DeliveryWorker(
    IWebhookOutbox outbox,
    WebhookSender sender,
    RetrySchedule schedule,
    EndpointHealth endpoints,
    GatewayMetrics metrics,
    WorkerStatus status,
    DeliverySignal signal,
    TimeProvider time,
    IOptions<WebhooksOptions> options,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly int _maxConcurrency = options.Value.MaxConcurrency;
    private readonly TimeSpan _pollInterval = Durations.Parse(options.Value.PollInterval, "Webhooks:PollInterval");
    private readonly TimeSpan _slow = Durations.Parse(options.Value.SlowAttemptThreshold, "Webhooks:SlowAttemptThreshold");
    private readonly TimeSpan _attemptTimeout = Durations.Parse(options.Value.AttemptTimeout, "Webhooks:AttemptTimeout");

    private readonly TimeSpan _lease = Durations.Parse(options.Value.LeaseDuration, "Webhooks:LeaseDuration");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_maxConcurrency, _maxConcurrency);
        var claimed = new Queue<DueDelivery>();
        var leaseEnds = DateTimeOffset.MinValue;
        await using var recorder = new DeliveryRecorder(outbox);
        status.SetRunning(true);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                if (claimed.Count == 0)
                {
                    var now = time.GetUtcNow();
                    IReadOnlyList<DueDelivery> batch;
                    try
                    {
                        batch = await outbox.ClaimDueAsync(_owner, now, _lease, _maxConcurrency, stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        slots.Release(); // shutdown takes every slot back before it returns
                        throw;
                    }
                    catch (Exception e)
                    {
                        slots.Release();
                        LogClaimFailed(e);
                        await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                        continue;
                    }
                    if (batch.Count == 0)
                    {
                        slots.Release();
                        await signal.WaitAsync(await WaitTimeAsync(stoppingToken), time, stoppingToken);
                        continue;
                    }
                    leaseEnds = now + _lease;
                    foreach (var delivery in batch)
                    {
                        claimed.Enqueue(delivery);
                    }
                }
                var next = claimed.Dequeue();
                if (time.GetUtcNow() + _attemptTimeout >= leaseEnds)
                {
                    // Its lease could run out mid-attempt (slow receivers held every slot): it is left to expire and
                    // be claimed again, rather than risk a second instance attempting it at the same time.
                    slots.Release();
                    continue;
                }
                _ = AttemptAsync(next, recorder, slots, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            status.SetRunning(false);
        }
        // Claimed but not started: their leases are given back, so that another instance need not wait for them to expire.
        var unstarted = claimed.Select(d => recorder.DeferAsync(d.EventId, time.GetUtcNow())).ToList();
        // Every slot back means every attempt has finished and handed its record to the recorder.
        for (var i = 0; i < _maxConcurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
        }
        try
        {
            await Task.WhenAll(unstarted);
        }
        catch (Exception e)
        {
            LogReleaseFailed(e);
        }
    }

    private async Task<TimeSpan> WaitTimeAsync(CancellationToken cancellationToken)
    {
        var next = await outbox.NextDueAsync(cancellationToken);
        if (next is null)
        {
            return _pollInterval;
        }
        var wait = next.Value - time.GetUtcNow();
        return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : wait < _pollInterval ? wait : _pollInterval;
    }

    private async Task AttemptAsync(DueDelivery delivery, DeliveryRecorder recorder, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            if (delivery.Target is not { } target)
            {
                await CompleteAsync(delivery, time.GetUtcNow(),
                    new AttemptResult(null, TimeSpan.Zero, "No webhook is configured for this number.", null), recorder, stoppingToken);
                return;
            }
            var endpoint = EndpointHealth.KeyOf(target.Url);
            var (deferUntil, probe) = endpoints.Admit(endpoint, time.GetUtcNow());
            if (deferUntil is { } until)
            {
                await recorder.DeferAsync(delivery.EventId, until);
                metrics.DeliveryOutcome("deferred");
                signal.Notify();
                return;
            }
            // A receiver whose slots are all busy: a fast one's delivery waits for the next slot (it comes within
            // milliseconds, and waiting keeps the pipeline full); a slow or not yet measured one's goes back until its
            // turn at that receiver, so that it cannot hold every worker slot and set every receiver's pace.
            var slot = endpoints.TryEnter(endpoint, out var typical);
            if (slot is null)
            {
                if (probe || (typical > TimeSpan.Zero && typical < _slow))
                {
                    slot = await endpoints.EnterAsync(endpoint, stoppingToken);
                }
                else
                {
                    await recorder.DeferAsync(delivery.EventId, endpoints.NextTurn(endpoint, time.GetUtcNow(), typical));
                    metrics.DeliveryOutcome("receiver_busy");
                    return;
                }
            }
            AttemptResult result;
            DateTimeOffset startedAt;
            using (slot)
            {
                startedAt = time.GetUtcNow();
                result = await sender.PostAsync(delivery, target, stoppingToken);
            }
            endpoints.Report(endpoint, result.Succeeded, probe, time.GetUtcNow());
            await CompleteAsync(delivery, startedAt, result, recorder, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the event is attempted again.
        }
        catch (Exception e)
        {
            LogAttemptCrashed(e, delivery.EventId);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task CompleteAsync(DueDelivery delivery, DateTimeOffset startedAt, AttemptResult result, DeliveryRecorder recorder, CancellationToken stoppingToken)
    {
        var number = delivery.AttemptsSoFar + 1;
        var outcome = result.Succeeded
            ? new DeliveryOutcome(DeliveryState.Delivered, null)
            : schedule.AfterFailure(delivery.WindowStart, number - delivery.AttemptsBeforeReplay, time.GetUtcNow());
        var slow = delivery.Target is not null && result.Latency > _slow;
        await recorder.CompleteAsync(
            new DeliveryAttempt(delivery.EventId, number, startedAt, delivery.Target?.Url, result.StatusCode, result.Latency,
                result.Error, result.ResponseExcerpt, result.Succeeded, slow),
            outcome);
        metrics.DeliveryOutcome(outcome.State switch
        {
            DeliveryState.Delivered => "delivered",
            DeliveryState.Failed => "failed",
            _ => "retry",
        });
        if (delivery.Target is not null)
        {
            metrics.Attempt(result.Latency, result.Succeeded, slow, EndpointHealth.KeyOf(delivery.Target.Url));
        }
        if (slow)
        {
            LogSlow(delivery.EventId, delivery.Target!.Url, result.Latency.TotalMilliseconds);
        }
        if (outcome.State == DeliveryState.Pending)
        {
            LogAttemptFailed(delivery.EventId, number, result.StatusCode, result.Error, outcome.NextAttemptAt);
            signal.Notify();
        }
        else if (outcome.State == DeliveryState.Failed)
        {
            LogGaveUp(delivery.EventId, number);
        }
        stoppingToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId}: the receiver {Url} took {LatencyMs:0} ms (slow; receivers should answer within 80 ms)")]
    private partial void LogSlow(string eventId, string url, double latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming due deliveries failed; trying again in 1 s")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back unstarted deliveries at shutdown failed; their leases will run out")]
    private partial void LogReleaseFailed(Exception exception);


    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} attempt {Attempt} failed ({StatusCode}): {Error}; next attempt at {NextAttemptAt:O}")]
    private partial void LogAttemptFailed(string eventId, int attempt, int? statusCode, string? error, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} failed for good after {Attempts} attempts; it is kept and can be replayed")]
    private partial void LogGaveUp(string eventId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Attempt for event {EventId} could not be recorded; its lease will run out and it will be tried again")]
    private partial void LogAttemptCrashed(Exception exception, string eventId);
}
