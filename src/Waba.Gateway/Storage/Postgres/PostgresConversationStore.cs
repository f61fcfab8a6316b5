using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Conversations;
using Waba.Gateway.Messaging;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresConversationStore(NpgsqlDataSource dataSource) : IConversationStore
{
    public async Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string channelId, PageKey? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT wa_id, MAX(user_id), MAX(created_at) AS last, COUNT(*) FROM messages WHERE channel_id = @channel
            GROUP BY wa_id
            HAVING @after_at::bigint IS NULL OR MAX(created_at) < @after_at OR (MAX(created_at) = @after_at AND wa_id COLLATE "C" > @after_id)
            ORDER BY last DESC, wa_id COLLATE "C" LIMIT @limit;
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.Add(new NpgsqlParameter("after_at", NpgsqlDbType.Bigint) { Value = (object?)after?.At.ToUnixTimeMilliseconds() ?? DBNull.Value });
        command.Parameters.AddWithValue("after_id", after?.Id ?? string.Empty);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Conversation, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredMessage>> ListMessagesAsync(string channelId, string user, PageKey? before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {StorageRows.MessageColumns} FROM messages
            WHERE channel_id = @channel AND (wa_id = @user OR user_id = @user)
              AND (@before_at::bigint IS NULL OR created_at < @before_at OR (created_at = @before_at AND id COLLATE "C" < @before_id))
            ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT @limit;
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.Add(new NpgsqlParameter("before_at", NpgsqlDbType.Bigint) { Value = (object?)before?.At.ToUnixTimeMilliseconds() ?? DBNull.Value });
        command.Parameters.AddWithValue("before_id", before?.Id ?? string.Empty);
        command.Parameters.AddWithValue("limit", limit);
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
        await using var command = dataSource.CreateCommand(
            """
            SELECT message_id, kind, occurred_at, payload FROM events
            WHERE channel_id = @channel AND occurred_at >= @since AND occurred_at <= @until AND kind LIKE 'status.%'
              AND message_id = ANY(@messages)
            ORDER BY occurred_at, id;
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("since", since.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("until", until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("messages", messageIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.StatusEvent, cancellationToken);
    }
}
