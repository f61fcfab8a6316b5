using Npgsql;
using Waba.Gateway.Messaging;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresMessageStore(NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit) : Messaging.IMessageStore
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

    public async Task<string?> FindCounterpartAsync(string channelId, string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT wa_id FROM messages WHERE channel_id = @channel AND user_id = @user ORDER BY created_at DESC LIMIT 1;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("user", userId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    // Every free-form send checks the 24-hour window; an inbound message (or moving a chat back) bumps the WABA's
    // version, so the answer is cached at the version its request read (see ReadSnapshot).
    private readonly VersionedCache<DateTimeOffset?> _lastInbound = new();

    public async Task<DateTimeOffset?> LastInboundAsync(string channelId, string waId, CancellationToken cancellationToken)
    {
        var version = ReadSnapshot.Current?.VersionOfChannel(channelId);
        if (version is { } known && _lastInbound.TryGet(channelId, known, waId, out var cached))
        {
            return cached;
        }
        await using var command = dataSource.CreateCommand(
            "SELECT MAX(created_at) FROM messages WHERE channel_id = @channel AND wa_id = @wa AND direction = 'in';");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("wa", waId);
        DateTimeOffset? last = await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
        if (version is { } readAt)
        {
            _lastInbound.Set(channelId, readAt, waId, last);
        }
        return last;
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

    public Task SaveMessageAsync(StoredMessage message, IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken)
    {
        if (message.Direction == MessageDirection.Inbound)
        {
            ReadSnapshot.Current?.Forget();
        }
        return groupCommit.SaveAsync(message, events, cancellationToken);
    }
}
