using System.Globalization;
using Waba.Gateway.Messaging;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteMessageStore(SqliteDatabase database) : Messaging.IMessageStore
{
    public async Task<IReadOnlyList<StoredMessage>> ListConversationAsync(string channelId, string waId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            $"""
            SELECT {StorageRows.MessageColumns} FROM (
                SELECT *, rowid AS position FROM messages WHERE channel_id = $channel AND wa_id = $wa ORDER BY created_at DESC, rowid DESC LIMIT $limit)
            ORDER BY created_at, position;
            """);
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$wa", waId);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Message, cancellationToken);
    }

    public async Task<StoredMessage?> FindMessageAsync(string channelId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            $"SELECT {StorageRows.MessageColumns} FROM messages WHERE id = $id AND channel_id = $channel;");
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? StorageRows.Message(reader)
            : null;
    }

    public async Task<DateTimeOffset?> LastInboundAsync(string channelId, string waId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            "SELECT MAX(created_at) FROM messages WHERE channel_id = $channel AND wa_id = $wa AND direction = 'in';");
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$wa", waId);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
    }

    public Task SaveEventsAsync(IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await SqliteDatabase.InsertEventsAsync(connection, transaction, events, cancellationToken);
            return events.Count;
        }, cancellationToken);

    public Task SaveMessageAsync(StoredMessage message, IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using (var command = SqliteDatabase.Command(connection, transaction,
                """
                INSERT INTO messages (id, channel_id, direction, wa_id, type, body, created_at)
                VALUES ($id, $channel, $direction, $wa, $type, $body, $created);
                """))
            {
                command.Parameters.AddWithValue("$id", message.Id);
                command.Parameters.AddWithValue("$channel", message.ChannelId);
                command.Parameters.AddWithValue("$direction", message.Direction == MessageDirection.Inbound ? "in" : "out");
                command.Parameters.AddWithValue("$wa", message.CounterpartWaId);
                command.Parameters.AddWithValue("$type", message.Type);
                command.Parameters.AddWithValue("$body", message.Body);
                command.Parameters.AddWithValue("$created", message.CreatedAt.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await SqliteDatabase.InsertEventsAsync(connection, transaction, events, cancellationToken);
            return 0;
        }, cancellationToken);
}
