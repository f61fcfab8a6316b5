using Waba.Gateway.Blocking;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteBlockListStore(SqliteDatabase database, SqliteReadCache cache) : IBlockListStore
{
    public async Task<bool> IsBlockedAsync(string channelId, string waId, CancellationToken cancellationToken) =>
        (await cache.Blocked.GetAsync(channelId, async () =>
            (await ListAsync(channelId, null, int.MaxValue, cancellationToken)).Select(w => new KeyValuePair<string, bool>(w, true)))).ContainsKey(waId);

    public async Task BlockAsync(string channelId, IReadOnlyList<string> waIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var waId in waIds)
            {
                await using var command = SqliteDatabase.Command(connection, transaction,
                    "INSERT INTO blocked_users (channel_id, wa_id, blocked_at) VALUES ($channel, $wa, $at) ON CONFLICT DO NOTHING;");
                command.Parameters.AddWithValue("$channel", channelId);
                command.Parameters.AddWithValue("$wa", waId);
                command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return waIds.Count;
        }, cancellationToken);
        foreach (var waId in waIds)
        {
            cache.Blocked.Set(channelId, waId, true);
        }
    }

    public async Task UnblockAsync(string channelId, IReadOnlyList<string> waIds, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var waId in waIds)
            {
                await using var command = SqliteDatabase.Command(connection, transaction, "DELETE FROM blocked_users WHERE channel_id = $channel AND wa_id = $wa;");
                command.Parameters.AddWithValue("$channel", channelId);
                command.Parameters.AddWithValue("$wa", waId);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return waIds.Count;
        }, cancellationToken);
        foreach (var waId in waIds)
        {
            cache.Blocked.Remove(channelId, waId);
        }
    }

    public async Task<int> CountAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT COUNT(*) FROM blocked_users WHERE channel_id = $channel;");
        command.Parameters.AddWithValue("$channel", channelId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string channelId, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            "SELECT wa_id FROM blocked_users WHERE channel_id = $channel AND wa_id > $after ORDER BY wa_id LIMIT $limit;");
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$after", after ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }
}
