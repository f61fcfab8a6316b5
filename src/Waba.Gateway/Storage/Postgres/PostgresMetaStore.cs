using Npgsql;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresMetaStore(NpgsqlDataSource dataSource) : Meta.IMetaStore
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

    public async Task SaveMetaInboundAsync(string id, string body, DateTimeOffset receivedAt, bool routed, IReadOnlyList<NewWebhookEvent> events,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var raw = new NpgsqlBatchCommand("INSERT INTO meta_inbound (id, received_at, routed, body) VALUES (@id, @at, @routed, @body);");
        raw.Parameters.AddWithValue("id", id);
        raw.Parameters.AddWithValue("at", receivedAt.ToUnixTimeMilliseconds());
        raw.Parameters.AddWithValue("routed", routed);
        raw.Parameters.AddWithValue("body", body);
        batch.BatchCommands.Add(raw);
        foreach (var e in events)
        {
            batch.BatchCommands.Add(PostgresDatabase.EventInsert(e));
        }
        batch.BatchCommands.Add(PostgresDatabase.Notify(events));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
