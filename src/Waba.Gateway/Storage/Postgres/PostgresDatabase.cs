using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage.Postgres;

/// <summary>
/// The engine for several instances on one database. Due deliveries are claimed with <c>FOR UPDATE SKIP LOCKED</c>
/// under a lease, so instances never attempt the same delivery at once and a dead instance's claims return when their
/// lease runs out. Committing new events sends <c>NOTIFY</c>, which wakes idle workers in every instance.
/// </summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource) : IStorageSchema
{
    public const string EventsChannel = "waba_events";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLockKey});", cancellationToken);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());", cancellationToken);
        await using var current = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;");
        var version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = version; i < PostgresSchema.Migrations.Length; i++)
        {
            await ExecuteAsync(connection, transaction, PostgresSchema.Migrations[i], cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_migrations (version) VALUES ({i + 1});", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;");
        return await command.ExecuteScalarAsync(cancellationToken) is int version && version == PostgresSchema.Migrations.Length;
    }

    /// <summary>
    /// The <c>NOTIFY</c> that wakes every instance's worker for these events, carrying when the earliest of them is due
    /// (Unix milliseconds), so a worker wakes then rather than at once. Delivered at commit.
    /// </summary>
    internal static NpgsqlBatchCommand Notify(IReadOnlyCollection<NewWebhookEvent> events)
    {
        var command = new NpgsqlBatchCommand("SELECT pg_notify(@notify_channel, @notify_due);");
        command.Parameters.AddWithValue("notify_channel", EventsChannel);
        command.Parameters.AddWithValue("notify_due", events.Count == 0 ? string.Empty
            : events.Min(e => e.OccurredAt).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return command;
    }

    internal static NpgsqlBatchCommand EventInsert(NewWebhookEvent e)
    {
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO events (id, channel_id, kind, shape, message_id, payload, occurred_at, state, next_attempt_at, to_waba)
            VALUES (@id, @channel, @kind, @shape, @message, @payload, @occurred, 'pending', @occurred, @to_waba);
            """);
        insert.Parameters.AddWithValue("id", e.Id);
        insert.Parameters.AddWithValue("channel", e.ChannelId);
        insert.Parameters.AddWithValue("kind", e.Kind);
        insert.Parameters.AddWithValue("shape", e.Shape.ToWire());
        insert.Parameters.Add(new NpgsqlParameter("message", NpgsqlDbType.Text) { Value = (object?)e.MessageId ?? DBNull.Value });
        insert.Parameters.AddWithValue("payload", e.Payload);
        insert.Parameters.AddWithValue("occurred", e.OccurredAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("to_waba", e.ToWaba);
        return insert;
    }

    /// <summary>One array parameter holding a value of each item, for statements over <c>unnest</c> of arrays.</summary>
    internal static NpgsqlParameter Array<TItem, TValue>(string name, NpgsqlDbType type, IEnumerable<TItem> items, Func<TItem, TValue> value) =>
        new(name, NpgsqlDbType.Array | type) { Value = items.Select(value).ToArray() };

    internal static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) =>
        new(sql, connection, transaction);

    internal static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

}
