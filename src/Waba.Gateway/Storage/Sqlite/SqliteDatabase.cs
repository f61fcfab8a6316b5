using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage.Sqlite;

/// <summary>
/// The embedded engine. WAL mode with <c>synchronous=NORMAL</c>: a commit survives a killed process (the WAL is
/// written before the commit returns); only an OS crash or power loss can lose the last commits.
/// All writes go through one writer connection with group commit (<see cref="WriteAsync"/>), so they never spin on SQLITE_BUSY.
/// </summary>
internal sealed class SqliteDatabase : IStorageSchema, IDisposable
{
    private readonly string _connectionString;
    private const int MaxBatch = 256;
    private readonly System.Threading.Channels.Channel<PendingWrite> _writes = System.Threading.Channels.Channel.CreateUnbounded<PendingWrite>(
        new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });
    private int _writerStarted;
    private Task? _writer;
    private Task? _checkpointer;
    private readonly CancellationTokenSource _stopping = new();
    private long _commitsSinceCheckpoint;
    private int _finishCheckpoint;

    public SqliteDatabase(IOptions<StorageOptions> options)
    {
        var path = Path.GetFullPath(options.Value.Sqlite.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        DatabasePath = path;
    }

    public string DatabasePath { get; }

    // Registered as itself and as IStorageSchema, so the container may dispose it twice: only the first one acts.
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _writes.Writer.TryComplete();
        _writer?.Wait(TimeSpan.FromSeconds(5));
        _stopping.Cancel();
        _checkpointer?.Wait(TimeSpan.FromSeconds(5));
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
        // Runs before any other write: the writer starts with the first write after start-up.
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var version = Convert.ToInt32(await ScalarAsync(connection, transaction, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
            for (var i = version; i < SqliteSchema.Migrations.Length; i++)
            {
                await ExecuteAsync(connection, transaction, SqliteSchema.Migrations[i], cancellationToken);
            }
            if (version < SqliteSchema.Migrations.Length)
            {
                await ExecuteAsync(connection, transaction, $"PRAGMA user_version = {SqliteSchema.Migrations.Length};", cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ScalarAsync(connection, null, "PRAGMA user_version;", cancellationToken) is long version && version == SqliteSchema.Migrations.Length;
    }

    internal static async Task InsertEventsAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<NewWebhookEvent> events,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            """
            INSERT INTO events (id, channel_id, kind, shape, message_id, payload, occurred_at, state, next_attempt_at, to_waba)
            VALUES ($id, $channel, $kind, $shape, $message, $payload, $occurred, 'pending', $occurred, $to_waba);
            """);
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var channel = command.Parameters.Add("$channel", SqliteType.Text);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var shape = command.Parameters.Add("$shape", SqliteType.Text);
        var messageId = command.Parameters.Add("$message", SqliteType.Text);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        var occurred = command.Parameters.Add("$occurred", SqliteType.Integer);
        var toWaba = command.Parameters.Add("$to_waba", SqliteType.Integer);
        foreach (var e in events)
        {
            id.Value = e.Id;
            channel.Value = e.ChannelId;
            kind.Value = e.Kind;
            shape.Value = e.Shape.ToWire();
            messageId.Value = (object?)e.MessageId ?? DBNull.Value;
            payload.Value = e.Payload;
            occurred.Value = e.OccurredAt.ToUnixTimeMilliseconds();
            toWaba.Value = e.ToWaba ? 1 : 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A pooled connection for reads. WAL lets them run beside the writer.</summary>
    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private sealed record PendingWrite(Func<SqliteConnection, SqliteTransaction, Task<int>> Work, TaskCompletionSource<int> Done);

    /// <summary>
    /// Group commit: every write goes to one writer connection, and the writes waiting together share one transaction,
    /// each inside a savepoint so that one failing write fails alone. A caller's task completes only after the commit,
    /// so nothing is acknowledged before it is durable.
    /// </summary>
    internal Task<int> WriteAsync(Func<SqliteConnection, SqliteTransaction, Task<int>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite(work, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(pending), this);
        EnsureWriter();
        return pending.Done.Task;
    }

    private void EnsureWriter()
    {
        if (Volatile.Read(ref _writerStarted) == 0 && Interlocked.Exchange(ref _writerStarted, 1) == 0)
        {
            _writer = Task.Run(WriteLoopAsync);
            _checkpointer = Task.Run(CheckpointLoopAsync);
        }
    }

    /// <summary>
    /// Checkpoints mostly off the write path. SQLite's automatic checkpoint runs inside the commit that crosses 1,000
    /// pages and stalls every write queued behind it (the latency tail). Here the writer never checkpoints on commit;
    /// this loop copies the WAL into the database twice a second with a PASSIVE checkpoint (the kind SQLite's automatic
    /// one is), which waits for no one. But SQLite starts the WAL over only when a write begins with every frame
    /// copied, which never happens while writes keep coming during a background checkpoint (the WAL grew by gigabytes
    /// under load). So the writer then finishes the job between two batches: a PASSIVE checkpoint of the few frames
    /// written since, after which its next write starts the WAL over.
    /// </summary>
    private async Task CheckpointLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _stopping.Token);
                if (Interlocked.Exchange(ref _commitsSinceCheckpoint, 0) == 0)
                {
                    continue;
                }
                await using var connection = await OpenAsync(_stopping.Token);
                await ExecuteAsync(connection, null, "PRAGMA wal_checkpoint(PASSIVE);", _stopping.Token);
                Volatile.Write(ref _finishCheckpoint, 1);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SqliteException)
            {
                // The next round tries again; every committed page stays in the WAL meanwhile.
                Interlocked.Increment(ref _commitsSinceCheckpoint);
            }
        }
    }

    private static async Task FinishCheckpointAsync(SqliteConnection writer)
    {
        try
        {
            await ExecuteAsync(writer, null, "PRAGMA wal_checkpoint(PASSIVE);", CancellationToken.None);
        }
        catch (SqliteException)
        {
            // A later round finishes it.
        }
    }

    private async Task WriteLoopAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, null,
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;", CancellationToken.None);
        var batch = new List<PendingWrite>(MaxBatch);
        var results = new List<(PendingWrite Write, int Result)>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            results.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                foreach (var write in batch)
                {
                    await transaction.SaveAsync("w");
                    try
                    {
                        results.Add((write, await write.Work(connection, transaction)));
                        await transaction.ReleaseAsync("w");
                    }
                    catch (Exception e)
                    {
                        await transaction.RollbackAsync("w");
                        await transaction.ReleaseAsync("w");
                        write.Done.TrySetException(e);
                    }
                }
                await transaction.CommitAsync();
                Interlocked.Increment(ref _commitsSinceCheckpoint);
                foreach (var (write, result) in results)
                {
                    write.Done.TrySetResult(result);
                }
                if (Interlocked.Exchange(ref _finishCheckpoint, 0) == 1)
                {
                    await FinishCheckpointAsync(connection);
                }
            }
            catch (Exception e)
            {
                foreach (var write in batch)
                {
                    write.Done.TrySetException(e);
                }
            }
        }
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    internal static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

}
