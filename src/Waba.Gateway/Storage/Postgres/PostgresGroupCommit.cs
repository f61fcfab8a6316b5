using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Messaging;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage.Postgres;

/// <summary>
/// Group commit for accepted messages: concurrent saves wait in a queue, and each writer takes what has gathered (up
/// to <see cref="MaxBatch"/>) into one transaction of three statements — all messages in one multi-row insert
/// (<c>unnest</c> of arrays), all their events in another, one <c>NOTIFY</c> — sent in one round trip. Each caller is
/// answered when its batch has committed. When a batch fails, its saves are written one by one, so one bad save
/// fails alone. Per-message statements were what bound PostgreSQL's CPU (docs/performance.md).
/// </summary>
internal sealed class PostgresGroupCommit : IAsyncDisposable
{
    private const int MaxBatch = 256;

    // Two writers: one commits while the next batch gathers and is sent.
    private const int Writers = 2;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingSave> _queue = Channel.CreateUnbounded<PendingSave>();
    private readonly Task[] _writers;

    public PostgresGroupCommit(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    private sealed record PendingSave(StoredMessage Message, IReadOnlyList<NewWebhookEvent> Events, TaskCompletionSource Committed);

    /// <summary>Completes when the message and its events are committed (or fails with the reason they were not).</summary>
    public Task SaveAsync(StoredMessage message, IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken)
    {
        var pending = new PendingSave(message, events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresGroupCommit), "The gateway is shutting down.");
        }
        // A caller that stops waiting does not take the save back: it may already be committing.
        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingSave>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            await BatchWrite.WriteEachAsync(batch, WriteAsync, p => p.Committed);
        }
    }

    private async Task WriteAsync(IReadOnlyList<PendingSave> saves)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        var messages = new NpgsqlBatchCommand(
            """
            INSERT INTO messages (id, channel_id, direction, wa_id, type, body, created_at, user_id)
            SELECT * FROM unnest(@id, @channel, @direction, @wa, @type, @body, @created, @user);
            """);
        messages.Parameters.Add(PostgresDatabase.Array("id", NpgsqlDbType.Text, saves, s => s.Message.Id));
        messages.Parameters.Add(PostgresDatabase.Array("channel", NpgsqlDbType.Text, saves, s => s.Message.ChannelId));
        messages.Parameters.Add(PostgresDatabase.Array("direction", NpgsqlDbType.Text, saves, s => s.Message.Direction == MessageDirection.Inbound ? "in" : "out"));
        messages.Parameters.Add(PostgresDatabase.Array("wa", NpgsqlDbType.Text, saves, s => s.Message.CounterpartWaId));
        messages.Parameters.Add(PostgresDatabase.Array("type", NpgsqlDbType.Text, saves, s => s.Message.Type));
        messages.Parameters.Add(PostgresDatabase.Array("body", NpgsqlDbType.Text, saves, s => s.Message.Body));
        messages.Parameters.Add(PostgresDatabase.Array("created", NpgsqlDbType.Bigint, saves, s => s.Message.CreatedAt.ToUnixTimeMilliseconds()));
        messages.Parameters.Add(PostgresDatabase.Array("user", NpgsqlDbType.Text, saves, s => s.Message.UserId));
        batch.BatchCommands.Add(messages);

        var events = saves.SelectMany(s => s.Events).ToList();
        if (events.Count > 0)
        {
            var insertEvents = new NpgsqlBatchCommand(
                """
                INSERT INTO events (id, channel_id, kind, shape, message_id, payload, occurred_at, state, next_attempt_at, to_waba)
                SELECT id, channel, kind, shape, message, payload, occurred, 'pending', occurred, to_waba
                FROM unnest(@event_id, @event_channel, @kind, @shape, @message, @payload, @occurred, @to_waba)
                    AS e(id, channel, kind, shape, message, payload, occurred, to_waba);
                """);
            insertEvents.Parameters.Add(PostgresDatabase.Array("event_id", NpgsqlDbType.Text, events, e => e.Id));
            insertEvents.Parameters.Add(PostgresDatabase.Array("event_channel", NpgsqlDbType.Text, events, e => e.ChannelId));
            insertEvents.Parameters.Add(PostgresDatabase.Array("kind", NpgsqlDbType.Text, events, e => e.Kind));
            insertEvents.Parameters.Add(PostgresDatabase.Array("shape", NpgsqlDbType.Text, events, e => Tenancy.HostingTypes.ToWire(e.Shape)));
            insertEvents.Parameters.Add(PostgresDatabase.Array("message", NpgsqlDbType.Text, events, e => e.MessageId));
            insertEvents.Parameters.Add(PostgresDatabase.Array("payload", NpgsqlDbType.Text, events, e => e.Payload));
            insertEvents.Parameters.Add(PostgresDatabase.Array("occurred", NpgsqlDbType.Bigint, events, e => e.OccurredAt.ToUnixTimeMilliseconds()));
            insertEvents.Parameters.Add(PostgresDatabase.Array("to_waba", NpgsqlDbType.Boolean, events, e => e.ToWaba));
            batch.BatchCommands.Add(insertEvents);
            // NOTIFY is delivered at commit; a batch without an explicit transaction runs as one implicit transaction.
            batch.BatchCommands.Add(PostgresDatabase.Notify(events));
        }
        await batch.ExecuteNonQueryAsync();
    }
}
