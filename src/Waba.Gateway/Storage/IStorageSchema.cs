using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Storage;

/// <summary>
/// The database itself: its schema and whether it answers. What the gateway keeps lives in one store per capability
/// (<c>ITenantStore</c>, <c>IMessageStore</c>, <c>IWebhookOutbox</c>, …), each implemented by both engines; every method
/// that accepts work commits it before it returns, so callers may answer 200 afterwards.
/// </summary>
public interface IStorageSchema
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the database answers and every migration this build knows is applied.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken);
}

public enum RemoveOutcome
{
    Removed,
    NotFound,
    InUse,
}

/// <summary>An API key as the admin API lists it: never the secret, never the hash.</summary>
public sealed record ApiKeyInfo(string Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record ApiKeyCandidate(string KeyId, byte[] Hash, Channel Channel);
