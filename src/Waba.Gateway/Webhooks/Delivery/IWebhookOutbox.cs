using Waba.Gateway.Webhooks;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>
/// The webhook outbox (the delivery queue): events due for delivery, leased to one worker at a time, their attempts and outcomes, the
/// delivery log and replays.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>Frees every delivery lease. Only valid where one process owns the database (SQLite).</summary>
    Task<int> ReleaseAllLeasesAsync(CancellationToken cancellationToken);

    /// <summary>The delivery queue at a glance, for metrics.</summary>
    Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="limit"/> deliveries that are due, each with the webhook its channel has now.
    /// A lease that expires (its worker died) makes the delivery claimable again.
    /// </summary>
    Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery becomes due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records attempts and their deliveries' new states, and frees their leases, all in one transaction: when one
    /// cannot be recorded (an attempt already recorded under its number), none is.
    /// </summary>
    Task CompleteAttemptsAsync(IReadOnlyList<CompletedAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>
    /// Postpones leased deliveries without counting an attempt (their receiver is backed off or busy) and frees the
    /// leases, in one transaction.
    /// </summary>
    Task DeferAsync(IReadOnlyList<Deferral> deferrals, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the pending events that wait for their next attempt due now — those of one number, or of every number of a
    /// WABA — because their webhook was just (re)configured. Events planned for later (a status still to happen) keep their
    /// time. Returns how many were made due.
    /// </summary>
    Task<int> MakeDueAsync(WebhookScope scope, string ownerId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Makes events pending again, due now, with a fresh retry window. Returns how many were replayed.</summary>
    Task<int> ReplayAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken);
}

/// <summary>One event by id, or the failed events of a number in a time range.</summary>
public sealed record ReplaySelection(string? EventId, string? ChannelId, DateTimeOffset? From, DateTimeOffset? To);

/// <param name="OldestPending">When the oldest pending event happened, or null when none is pending.</param>
public sealed record QueueStats(long Pending, DateTimeOffset? OldestPending);
