using Waba.Gateway.Conversations;
using Waba.Gateway.Messaging;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteConversationStore(SqliteDatabase database) : IConversationStore
{
    public async Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string channelId, PageKey? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            """
            SELECT wa_id, MAX(user_id), MAX(created_at) AS last, COUNT(*) FROM messages WHERE channel_id = $channel
            GROUP BY wa_id
            HAVING $after_at IS NULL OR last < $after_at OR (last = $after_at AND wa_id > $after_id)
            ORDER BY last DESC, wa_id LIMIT $limit;
            """);
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$after_at", (object?)after?.At.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$after_id", after?.Id ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Conversation, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredMessage>> ListMessagesAsync(string channelId, string user, PageKey? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            $"""
            SELECT {StorageRows.MessageColumns} FROM messages
            WHERE channel_id = $channel AND (wa_id = $user OR user_id = $user)
              AND ($before_at IS NULL OR created_at < $before_at OR (created_at = $before_at AND id < $before_id))
            ORDER BY created_at DESC, id DESC LIMIT $limit;
            """);
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$user", user);
        command.Parameters.AddWithValue("$before_at", (object?)before?.At.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$before_id", before?.Id ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Message, cancellationToken);
    }

    public async Task<IReadOnlyList<MessageStatusEvent>> ListStatusesAsync(string channelId, IReadOnlyCollection<string> messageIds, DateTimeOffset since,
        DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        var names = messageIds.Select((_, i) => "$m" + i).ToList();
        await using var command = SqliteDatabase.Command(connection, null,
            $"""
            SELECT message_id, kind, occurred_at, payload FROM events
            WHERE channel_id = $channel AND occurred_at >= $since AND occurred_at <= $until AND kind LIKE 'status.%'
              AND message_id IN ({string.Join(", ", names)})
            ORDER BY occurred_at, rowid;
            """);
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        var index = 0;
        foreach (var id in messageIds)
        {
            command.Parameters.AddWithValue(names[index++], id);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.StatusEvent, cancellationToken);
    }
}
