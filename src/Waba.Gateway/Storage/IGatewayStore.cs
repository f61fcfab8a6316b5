using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage;

/// <summary>
/// Everything the gateway keeps. One interface, one implementation per database engine; every method that accepts
/// work commits it before it returns, so callers may answer 200 afterwards.
/// </summary>
public interface IGatewayStore
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Frees every delivery lease. Only valid where one process owns the database (SQLite).</summary>
    Task<int> ReleaseAllLeasesAsync(CancellationToken cancellationToken);

    Task<bool> HasAnyWabaAsync(CancellationToken cancellationToken);
    Task CreateWabaAsync(BusinessAccount waba, CancellationToken cancellationToken);
    Task<BusinessAccount?> FindWabaAsync(string id, CancellationToken cancellationToken);
    Task CreateChannelAsync(Channel channel, CancellationToken cancellationToken);
    Task<Channel?> FindChannelAsync(string id, CancellationToken cancellationToken);
    Task AddApiKeyAsync(string channelId, IssuedApiKey key, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>WABAs not removed, ordered by id, after the cursor.</summary>
    Task<IReadOnlyList<BusinessAccount>> ListWabasAsync(string? after, int limit, CancellationToken cancellationToken);
    Task<bool> RenameWabaAsync(string id, string name, CancellationToken cancellationToken);

    /// <summary>Removes a WABA that has no numbers left; its events and log stay.</summary>
    Task<RemoveOutcome> RemoveWabaAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Numbers not removed (of one WABA, or all), ordered by id, after the cursor.</summary>
    Task<IReadOnlyList<Channel>> ListChannelsAsync(string? wabaId, string? after, int limit, CancellationToken cancellationToken);
    Task<bool> SetChannelUpstreamAsync(string id, string upstream, CancellationToken cancellationToken);

    /// <summary>Removes a number and revokes its keys at once; pending deliveries of its events still go out.</summary>
    Task<RemoveOutcome> RemoveChannelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Revokes a key: the next request with it, on any instance, is refused. False when no such live key.</summary>
    Task<bool> RevokeApiKeyAsync(string channelId, string keyId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The delivery queue at a glance, for metrics.</summary>
    Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken);

    /// <summary>True when the database answers and every migration this build knows is applied.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>The key row with this public prefix and the channel it belongs to, or null.</summary>
    Task<ApiKeyCandidate?> FindApiKeyAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an On-Premise number to Cloud. The first number of a WABA to move makes its webhook the WABA webhook;
    /// every moved number's own webhook is removed, so its events follow the WABA webhook. Null when no such number.
    /// </summary>
    Task<Channel?> MigrateToCloudAsync(string channelId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The number with this WhatsApp phone-number id (Meta's), or null.</summary>
    Task<Channel?> FindChannelByPhoneNumberIdAsync(string phoneNumberId, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="limit"/> deliveries that are due, each with the webhook its channel has now.
    /// A lease that expires (its worker died) makes the delivery claimable again.
    /// </summary>
    Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery becomes due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Records an attempt and the delivery's new state, and frees its lease.</summary>
    Task CompleteAttemptAsync(DeliveryAttempt attempt, DeliveryOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Postpones a leased delivery without counting an attempt (its receiver is backed off) and frees the lease.</summary>
    Task DeferAsync(string eventId, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Makes events pending again, due now, with a fresh retry window. Returns how many were replayed.</summary>
    Task<int> ReplayAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken);
}

/// <summary>One event by id, or the failed events of a number in a time range.</summary>
public sealed record ReplaySelection(string? EventId, string? ChannelId, DateTimeOffset? From, DateTimeOffset? To);

public enum RemoveOutcome
{
    Removed,
    NotFound,
    InUse,
}

/// <summary>An API key as the admin API lists it: never the secret, never the hash.</summary>
public sealed record ApiKeyInfo(string Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <param name="OldestPending">When the oldest pending event happened, or null when none is pending.</param>
public sealed record QueueStats(long Pending, DateTimeOffset? OldestPending);

public sealed record ApiKeyCandidate(string KeyId, byte[] Hash, Channel Channel);
