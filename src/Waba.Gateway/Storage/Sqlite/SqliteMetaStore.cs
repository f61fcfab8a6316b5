using System.Globalization;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteMetaStore(SqliteDatabase database) : Meta.IMetaStore
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

    public Task SaveMetaInboundAsync(string id, string body, DateTimeOffset receivedAt, bool routed, IReadOnlyList<NewWebhookEvent> events,
        CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using (var command = SqliteDatabase.Command(connection, transaction, "INSERT INTO meta_inbound (id, received_at, routed, body) VALUES ($id, $at, $routed, $body);"))
            {
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$at", receivedAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$routed", routed ? 1 : 0);
                command.Parameters.AddWithValue("$body", body);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await SqliteDatabase.InsertEventsAsync(connection, transaction, events, cancellationToken);
            return 0;
        }, cancellationToken);
}
