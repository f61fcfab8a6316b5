using Npgsql;
using Waba.Gateway.Blocking;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresBlockListStore(NpgsqlDataSource dataSource) : IBlockListStore
{
    // Every send asks: the number's block list is kept whole at the WABA version its request read (see ReadSnapshot).
    private readonly VersionedSets<bool> _blocked = new();

    public async Task<bool> IsBlockedAsync(string channelId, string waId, CancellationToken cancellationToken)
    {
        if (ReadSnapshot.Current?.VersionOfChannel(channelId) is { } version
            && await _blocked.GetAsync(channelId, version, () => LoadAllAsync(channelId)) is { } all)
        {
            return all.ContainsKey(waId);
        }
        return await QueryBlockedAsync(channelId, waId, cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, bool>?> LoadAllAsync(string channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT wa_id FROM blocked_users WHERE channel_id = @channel LIMIT @limit;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("limit", VersionedSets<bool>.MaxRows + 1);
        await using var reader = await command.ExecuteReaderAsync();
        var blocked = new Dictionary<string, bool>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            blocked[reader.GetString(0)] = true;
        }
        return blocked.Count > VersionedSets<bool>.MaxRows ? null : blocked;
    }

    private async Task<bool> QueryBlockedAsync(string channelId, string waId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM blocked_users WHERE channel_id = @channel AND wa_id = @wa);");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("wa", waId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task BlockAsync(string channelId, IReadOnlyList<string> waIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ReadSnapshot.Current?.Forget();
        await using var command = dataSource.CreateCommand(
            "INSERT INTO blocked_users (channel_id, wa_id, blocked_at) SELECT @channel, unnest(@was), @at ON CONFLICT DO NOTHING;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("was", waIds.ToArray());
        command.Parameters.AddWithValue("at", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UnblockAsync(string channelId, IReadOnlyList<string> waIds, CancellationToken cancellationToken)
    {
        ReadSnapshot.Current?.Forget();
        await using var command = dataSource.CreateCommand("DELETE FROM blocked_users WHERE channel_id = @channel AND wa_id = ANY(@was);");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("was", waIds.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> CountAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM blocked_users WHERE channel_id = @channel;");
        command.Parameters.AddWithValue("channel", channelId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string channelId, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT wa_id FROM blocked_users WHERE channel_id = @channel AND wa_id > @after ORDER BY wa_id COLLATE \"C\" LIMIT @limit;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("after", after ?? string.Empty);
        command.Parameters.AddWithValue("limit", limit);
        var list = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }
}
