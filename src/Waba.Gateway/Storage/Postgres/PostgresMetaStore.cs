using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Meta;
using Waba.Gateway.Messaging;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresMetaStore(NpgsqlDataSource dataSource) : IMetaStore
{
    public async Task SaveMetaCredentialsAsync(string channelId, string metaWabaId, byte[] sealedToken, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO meta_credentials (channel_id, meta_waba_id, sealed_token) VALUES (@channel, @waba, @token) ON CONFLICT (channel_id) DO UPDATE SET meta_waba_id = excluded.meta_waba_id, sealed_token = excluded.sealed_token;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("waba", metaWabaId);
        command.Parameters.AddWithValue("token", sealedToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(string MetaWabaId, byte[] SealedToken)?> FindMetaCredentialsAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT meta_waba_id, sealed_token FROM meta_credentials WHERE channel_id = @channel;");
        command.Parameters.AddWithValue("channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    public async Task<IReadOnlyList<string>> ListChannelsOfMetaWabaAsync(string metaWabaId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT m.channel_id FROM meta_credentials m JOIN channels c ON c.id = m.channel_id
            WHERE m.meta_waba_id = @waba AND c.removed_at IS NULL ORDER BY c.created_at, c.id;
            """);
        command.Parameters.AddWithValue("waba", metaWabaId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, r => r.GetString(0), cancellationToken);
    }

    public async Task SaveMetaInboundAsync(MetaInbound inbound, CancellationToken cancellationToken)
    {
        if (inbound.Messages.Any(m => m.Direction == MessageDirection.Inbound))
        {
            ReadSnapshot.Current?.Forget();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var raw = new NpgsqlBatchCommand("INSERT INTO meta_inbound (id, received_at, routed, body) VALUES (@id, @at, @routed, @body);");
        raw.Parameters.AddWithValue("id", inbound.Id);
        raw.Parameters.AddWithValue("at", inbound.ReceivedAt.ToUnixTimeMilliseconds());
        raw.Parameters.AddWithValue("routed", inbound.Routed);
        raw.Parameters.AddWithValue("body", inbound.Body);
        batch.BatchCommands.Add(raw);
        foreach (var message in inbound.Messages)
        {
            // Meta delivers at least once: a message it sends again is kept once (the router leaves its event out).
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO messages (id, channel_id, direction, wa_id, type, body, created_at, user_id)
                VALUES (@id, @channel, @direction, @wa, @type, @body, @created, @user) ON CONFLICT (id) DO NOTHING;
                """);
            insert.Parameters.AddWithValue("id", message.Id);
            insert.Parameters.AddWithValue("channel", message.ChannelId);
            insert.Parameters.AddWithValue("direction", message.Direction == MessageDirection.Inbound ? "in" : "out");
            insert.Parameters.AddWithValue("wa", message.CounterpartWaId);
            insert.Parameters.AddWithValue("type", message.Type);
            insert.Parameters.AddWithValue("body", message.Body);
            insert.Parameters.AddWithValue("created", message.CreatedAt.ToUnixTimeMilliseconds());
            insert.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Text) { Value = (object?)message.UserId ?? DBNull.Value });
            batch.BatchCommands.Add(insert);
        }
        foreach (var e in inbound.Events)
        {
            batch.BatchCommands.Add(PostgresDatabase.EventInsert(e));
        }
        foreach (var command in PostgresAccountStateStore.Merges(inbound.States, inbound.ReceivedAt))
        {
            batch.BatchCommands.Add(command);
        }
        foreach (var key in inbound.Seen)
        {
            batch.BatchCommands.Add(LogUpsert(key, inbound.ReceivedAt, null));
        }
        batch.BatchCommands.Add(PostgresDatabase.Notify(inbound.Events));
        // One implicit transaction: the raw body, its messages, events and state commit together.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordWebhookLogAsync(string key, DateTimeOffset at, string? detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(LogUpsert(key, at, detail));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, WebhookLogEntry>> ReadWebhookLogAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT key, at, detail FROM meta_webhook_log WHERE key = ANY(@keys);");
        command.Parameters.AddWithValue("keys", keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new Dictionary<string, WebhookLogEntry>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = new WebhookLogEntry(FromMs(reader.GetInt64(1)), reader.IsDBNull(2) ? null : reader.GetString(2));
        }
        return found;
    }

    private static NpgsqlBatchCommand LogUpsert(string key, DateTimeOffset at, string? detail)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO meta_webhook_log (key, at, detail) VALUES (@key, @at, @detail) ON CONFLICT (key) DO UPDATE SET at = excluded.at, detail = excluded.detail;");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        command.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Text) { Value = (object?)detail ?? DBNull.Value });
        return command;
    }
}
