namespace Waba.Gateway.Blocking;

/// <summary>Each number's block list: users whose messages no longer arrive and who cannot be messaged.</summary>
public interface IBlockListStore
{
    Task<bool> IsBlockedAsync(string channelId, string waId, CancellationToken cancellationToken);

    /// <summary>Adds users (already blocked ones stay as they are).</summary>
    Task BlockAsync(string channelId, IReadOnlyList<string> waIds, DateTimeOffset now, CancellationToken cancellationToken);

    Task UnblockAsync(string channelId, IReadOnlyList<string> waIds, CancellationToken cancellationToken);

    Task<int> CountAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Blocked users ordered by wa_id, after the cursor.</summary>
    Task<IReadOnlyList<string>> ListAsync(string channelId, string? after, int limit, CancellationToken cancellationToken);
}
