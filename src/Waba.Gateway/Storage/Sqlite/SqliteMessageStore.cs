using System.Globalization;
using Microsoft.Data.Sqlite;
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

    public async Task<string?> FindCounterpartAsync(string channelId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            "SELECT wa_id FROM messages WHERE channel_id = $channel AND user_id = $user ORDER BY created_at DESC LIMIT 1;");
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$user", userId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
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
            await InsertMessagesAsync(connection, transaction, [message], ignoreDuplicates: false, cancellationToken);
            await SqliteDatabase.InsertEventsAsync(connection, transaction, events, cancellationToken);
            return 0;
        }, cancellationToken);

    /// <param name="ignoreDuplicates">A message already kept (Meta sent it again) is left as it is instead of failing the write.</param>
    internal static async Task InsertMessagesAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<StoredMessage> messages,
        bool ignoreDuplicates, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }
        await using var command = SqliteDatabase.Command(connection, transaction,
            $"""
            INSERT INTO messages (id, channel_id, direction, wa_id, type, body, created_at, user_id)
            VALUES ($id, $channel, $direction, $wa, $type, $body, $created, $user){(ignoreDuplicates ? " ON CONFLICT (id) DO NOTHING" : "")};
            """);
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var channel = command.Parameters.Add("$channel", SqliteType.Text);
        var direction = command.Parameters.Add("$direction", SqliteType.Text);
        var wa = command.Parameters.Add("$wa", SqliteType.Text);
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var body = command.Parameters.Add("$body", SqliteType.Text);
        var created = command.Parameters.Add("$created", SqliteType.Integer);
        var user = command.Parameters.Add("$user", SqliteType.Text);
        foreach (var message in messages)
        {
            id.Value = message.Id;
            channel.Value = message.ChannelId;
            direction.Value = message.Direction == MessageDirection.Inbound ? "in" : "out";
            wa.Value = message.CounterpartWaId;
            type.Value = message.Type;
            body.Value = message.Body;
            created.Value = message.CreatedAt.ToUnixTimeMilliseconds();
            user.Value = (object?)message.UserId ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
