using Microsoft.Data.Sqlite;
using Waba.Gateway.Meta;
using Waba.Gateway.Messaging;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteMetaStore(SqliteDatabase database) : IMetaStore
{
    public Task SaveMetaCredentialsAsync(string channelId, string metaWabaId, byte[] sealedToken, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO meta_credentials (channel_id, meta_waba_id, sealed_token) VALUES ($channel, $waba, $token) ON CONFLICT (channel_id) DO UPDATE SET meta_waba_id = excluded.meta_waba_id, sealed_token = excluded.sealed_token;");
            command.Parameters.AddWithValue("$channel", channelId);
            command.Parameters.AddWithValue("$waba", metaWabaId);
            command.Parameters.AddWithValue("$token", sealedToken);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<(string MetaWabaId, byte[] SealedToken)?> FindMetaCredentialsAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT meta_waba_id, sealed_token FROM meta_credentials WHERE channel_id = $channel;");
        command.Parameters.AddWithValue("$channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    public async Task<IReadOnlyList<string>> ListChannelsOfMetaWabaAsync(string metaWabaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            """
            SELECT m.channel_id FROM meta_credentials m JOIN channels c ON c.id = m.channel_id
            WHERE m.meta_waba_id = $waba AND c.removed_at IS NULL ORDER BY c.created_at, c.id;
            """);
        command.Parameters.AddWithValue("$waba", metaWabaId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, r => r.GetString(0), cancellationToken);
    }

    public Task SaveMetaInboundAsync(MetaInbound inbound, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using (var command = SqliteDatabase.Command(connection, transaction, "INSERT INTO meta_inbound (id, received_at, routed, body) VALUES ($id, $at, $routed, $body);"))
            {
                command.Parameters.AddWithValue("$id", inbound.Id);
                command.Parameters.AddWithValue("$at", inbound.ReceivedAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$routed", inbound.Routed ? 1 : 0);
                command.Parameters.AddWithValue("$body", inbound.Body);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            // Meta delivers at least once: a message it sends again is kept once (the router leaves its event out).
            await SqliteMessageStore.InsertMessagesAsync(connection, transaction, inbound.Messages, ignoreDuplicates: true, cancellationToken);
            await SqliteDatabase.InsertEventsAsync(connection, transaction, inbound.Events, cancellationToken);
            await SqliteAccountStateStore.MergeAsync(connection, transaction, inbound.States, inbound.ReceivedAt, cancellationToken);
            foreach (var key in inbound.Seen)
            {
                await UpsertLogAsync(connection, transaction, key, inbound.ReceivedAt, null, cancellationToken);
            }
            return 0;
        }, cancellationToken);

    public Task RecordWebhookLogAsync(string key, DateTimeOffset at, string? detail, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await UpsertLogAsync(connection, transaction, key, at, detail, cancellationToken);
            return 0;
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, WebhookLogEntry>> ReadWebhookLogAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, WebhookLogEntry>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT at, detail FROM meta_webhook_log WHERE key = $key;");
        var parameter = command.Parameters.Add("$key", SqliteType.Text);
        foreach (var key in keys)
        {
            parameter.Value = key;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                found[key] = new WebhookLogEntry(FromMs(reader.GetInt64(0)), reader.IsDBNull(1) ? null : reader.GetString(1));
            }
        }
        return found;
    }

    private static async Task UpsertLogAsync(SqliteConnection connection, SqliteTransaction transaction, string key, DateTimeOffset at, string? detail,
        CancellationToken cancellationToken)
    {
        await using var command = SqliteDatabase.Command(connection, transaction,
            "INSERT INTO meta_webhook_log (key, at, detail) VALUES ($key, $at, $detail) ON CONFLICT (key) DO UPDATE SET at = excluded.at, detail = excluded.detail;");
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
