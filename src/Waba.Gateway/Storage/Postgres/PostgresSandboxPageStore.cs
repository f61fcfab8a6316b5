using Npgsql;
using Waba.Gateway.Sandbox.Page;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresSandboxPageStore(NpgsqlDataSource dataSource) : ISandboxPageStore
{
    public async Task<IReadOnlyList<ChatChange>> ListChangesAsync(string channelId, DateTimeOffset after, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT e.id, m.wa_id FROM events e JOIN messages m ON m.id = e.message_id
            WHERE e.channel_id = @channel AND e.occurred_at > @after AND e.occurred_at <= @until;
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("after", after.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("until", until.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.ChatChange, cancellationToken);
    }

    public async Task<int> RewindChatAsync(string channelId, string waId, TimeSpan by, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE messages SET created_at = created_at - @by WHERE channel_id = @channel AND wa_id = @wa;");
        command.Parameters.AddWithValue("by", (long)by.TotalMilliseconds);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("wa", waId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> EndTemplateReviewsAsync(string wabaId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    UPDATE events SET occurred_at = @now, next_attempt_at = @now
                    WHERE state = 'pending' AND attempts = 0 AND kind LIKE 'template.%' AND next_attempt_at > @now
                      AND channel_id IN (SELECT id FROM channels WHERE waba_id = @waba);
                    """),
                new NpgsqlBatchCommand("UPDATE templates SET approved_at = @now WHERE waba_id = @waba AND approved_at > @now;"),
            },
        };
        foreach (NpgsqlBatchCommand command in batch.BatchCommands)
        {
            command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("waba", wabaId);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        var ended = batch.BatchCommands[1].RecordsAffected;
        await transaction.CommitAsync(cancellationToken);
        return ended;
    }
}
