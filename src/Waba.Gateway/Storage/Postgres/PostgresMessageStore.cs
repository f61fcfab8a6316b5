using Npgsql;
using Waba.Gateway.Messaging;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresMessageStore(NpgsqlDataSource dataSource) : Messaging.IMessageStore
{
    public async Task<IReadOnlyList<StoredMessage>> ListConversationAsync(string channelId, string waId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {StorageRows.MessageColumns} FROM (
                SELECT *, ctid AS position FROM messages WHERE channel_id = @channel AND wa_id = @wa ORDER BY created_at DESC, ctid DESC LIMIT @limit) latest
            ORDER BY created_at, position;
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("wa", waId);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Message, cancellationToken);
    }

    public async Task<StoredMessage?> FindMessageAsync(string channelId, string messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {StorageRows.MessageColumns} FROM messages WHERE id = @id AND channel_id = @channel;");
        command.Parameters.AddWithValue("id", messageId);
        command.Parameters.AddWithValue("channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? StorageRows.Message(reader)
            : null;
    }

    public async Task<DateTimeOffset?> LastInboundAsync(string channelId, string waId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT MAX(created_at) FROM messages WHERE channel_id = @channel AND wa_id = @wa AND direction = 'in';");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("wa", waId);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
    }

    public async Task SaveEventsAsync(IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var e in events)
        {
            batch.BatchCommands.Add(PostgresDatabase.EventInsert(e));
        }
        batch.BatchCommands.Add(PostgresDatabase.Notify(events));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveMessageAsync(StoredMessage message, IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var insertMessage = new NpgsqlBatchCommand(
            """
            INSERT INTO messages (id, channel_id, direction, wa_id, type, body, created_at)
            VALUES (@id, @channel, @direction, @wa, @type, @body, @created);
            """);
        insertMessage.Parameters.AddWithValue("id", message.Id);
        insertMessage.Parameters.AddWithValue("channel", message.ChannelId);
        insertMessage.Parameters.AddWithValue("direction", message.Direction == MessageDirection.Inbound ? "in" : "out");
        insertMessage.Parameters.AddWithValue("wa", message.CounterpartWaId);
        insertMessage.Parameters.AddWithValue("type", message.Type);
        insertMessage.Parameters.AddWithValue("body", message.Body);
        insertMessage.Parameters.AddWithValue("created", message.CreatedAt.ToUnixTimeMilliseconds());
        batch.BatchCommands.Add(insertMessage);
        foreach (var e in events)
        {
            batch.BatchCommands.Add(PostgresDatabase.EventInsert(e));
        }
        // NOTIFY is delivered at commit; a batch without an explicit transaction runs as one implicit transaction.
        batch.BatchCommands.Add(PostgresDatabase.Notify(events));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
