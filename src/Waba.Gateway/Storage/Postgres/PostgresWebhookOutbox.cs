using System.Text;
using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresWebhookOutbox(NpgsqlDataSource dataSource) : Webhooks.Delivery.IWebhookOutbox
{
    // Other instances may be alive and holding leases: only lease expiry frees them here.
    public Task<int> ReleaseAllLeasesAsync(CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), MIN(occurred_at) FROM events WHERE state = 'pending';");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueStats(reader.GetInt64(0), reader.IsDBNull(1) ? null : FromMs(reader.GetInt64(1)));
    }

    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<string>();
        await using (var claim = PostgresDatabase.Command(connection, transaction,
            """
            WITH due AS (
                SELECT id FROM events
                WHERE state = 'pending' AND next_attempt_at <= @now AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
                ORDER BY next_attempt_at
                LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            UPDATE events e SET lease_owner = @owner, lease_expires_at = @until
            FROM due WHERE e.id = due.id
            RETURNING e.id;
            """))
        {
            claim.Parameters.AddWithValue("now", nowMs);
            claim.Parameters.AddWithValue("limit", limit);
            claim.Parameters.AddWithValue("owner", owner);
            claim.Parameters.AddWithValue("until", (now + lease).ToUnixTimeMilliseconds());
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }
        var claimed = new List<DueDelivery>(ids.Count);
        if (ids.Count > 0)
        {
            await using var select = PostgresDatabase.Command(connection, transaction,
                """
                SELECT e.id, e.channel_id, e.payload, e.shape, e.occurred_at, e.attempts,
                       COALESCE(e.window_start_at, e.occurred_at), e.attempts_before_replay,
                       nw.url, nw.headers, nw.updated_at, nw.secret, nw.previous_secret, nw.previous_secret_expires_at,
                       ww.url, ww.headers, ww.updated_at, ww.secret, ww.previous_secret, ww.previous_secret_expires_at, e.to_waba
                FROM events e
                JOIN channels c ON c.id = e.channel_id
                LEFT JOIN webhooks nw ON nw.scope = 'number' AND nw.owner_id = e.channel_id
                LEFT JOIN webhooks ww ON ww.scope = 'waba' AND ww.owner_id = c.waba_id
                WHERE e.id = ANY(@ids)
                ORDER BY e.next_attempt_at;
                """);
            select.Parameters.AddWithValue("ids", ids.ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(StorageRows.Due(reader, now));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<int> MakeDueAsync(WebhookScope scope, string ownerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var update = new NpgsqlBatchCommand(
            $"""
            UPDATE events SET next_attempt_at = @now
            WHERE state = 'pending' AND next_attempt_at > @now AND occurred_at <= @now AND lease_owner IS NULL
              AND {(scope == WebhookScope.Waba ? "channel_id IN (SELECT id FROM channels WHERE waba_id = @owner)" : "channel_id = @owner")};
            """);
        update.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("owner", ownerId);
        batch.BatchCommands.Add(update);
        // Every instance's worker wakes for them.
        var wake = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @due);");
        wake.Parameters.AddWithValue("channel", PostgresDatabase.EventsChannel);
        wake.Parameters.AddWithValue("due", now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        batch.BatchCommands.Add(wake);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return update.RecordsAffected;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        // A leased delivery becomes due again when its lease runs out. Both halves read an index from its low end, so
        // the answer costs the same with ten pending events or a million (one MIN over an expression scanned them all).
        await using var command = dataSource.CreateCommand(
            """
            SELECT MIN(due) FROM (
                (SELECT next_attempt_at AS due FROM events WHERE state = 'pending' AND lease_expires_at IS NULL
                 ORDER BY next_attempt_at LIMIT 1)
                UNION ALL
                SELECT GREATEST(next_attempt_at, lease_expires_at) FROM events WHERE state = 'pending' AND lease_expires_at IS NOT NULL) d;
            """);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? FromMs(ms) : null;
    }

    public async Task CompleteAttemptsAsync(IReadOnlyList<CompletedAttempt> attempts, CancellationToken cancellationToken)
    {
        if (attempts.Count == 0)
        {
            return;
        }
        // Two statements over arrays, one round trip, one implicit transaction, however many attempts.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO delivery_attempts (event_id, number, started_at, url, status_code, latency_ms, error, response_excerpt, succeeded, slow)
            SELECT * FROM unnest(@event, @number, @started, @url, @status, @latency, @error, @excerpt, @ok, @slow);
            """);
        insert.Parameters.Add(PostgresDatabase.Array("event", NpgsqlDbType.Text, attempts, c => c.Attempt.EventId));
        insert.Parameters.Add(PostgresDatabase.Array("number", NpgsqlDbType.Integer, attempts, c => c.Attempt.Number));
        insert.Parameters.Add(PostgresDatabase.Array("started", NpgsqlDbType.Bigint, attempts, c => c.Attempt.StartedAt.ToUnixTimeMilliseconds()));
        insert.Parameters.Add(PostgresDatabase.Array("url", NpgsqlDbType.Text, attempts, c => c.Attempt.Url));
        insert.Parameters.Add(PostgresDatabase.Array("status", NpgsqlDbType.Integer, attempts, c => c.Attempt.StatusCode));
        insert.Parameters.Add(PostgresDatabase.Array("latency", NpgsqlDbType.Double, attempts, c => c.Attempt.Latency.TotalMilliseconds));
        insert.Parameters.Add(PostgresDatabase.Array("error", NpgsqlDbType.Text, attempts, c => c.Attempt.Error));
        insert.Parameters.Add(PostgresDatabase.Array("excerpt", NpgsqlDbType.Text, attempts, c => c.Attempt.ResponseExcerpt));
        insert.Parameters.Add(PostgresDatabase.Array("ok", NpgsqlDbType.Boolean, attempts, c => c.Attempt.Succeeded));
        insert.Parameters.Add(PostgresDatabase.Array("slow", NpgsqlDbType.Boolean, attempts, c => c.Attempt.Slow));
        batch.BatchCommands.Add(insert);
        var update = new NpgsqlBatchCommand(
            """
            UPDATE events e SET state = u.state, attempts = u.number, next_attempt_at = u.next,
                   delivered_at = u.delivered, lease_owner = NULL, lease_expires_at = NULL
            FROM unnest(@id, @state, @attempts, @next, @delivered) AS u(id, state, number, next, delivered)
            WHERE e.id = u.id;
            """);
        update.Parameters.Add(PostgresDatabase.Array("id", NpgsqlDbType.Text, attempts, c => c.Attempt.EventId));
        update.Parameters.Add(PostgresDatabase.Array("state", NpgsqlDbType.Text, attempts, c => StateName(c.Outcome.State)));
        update.Parameters.Add(PostgresDatabase.Array("attempts", NpgsqlDbType.Integer, attempts, c => c.Attempt.Number));
        update.Parameters.Add(PostgresDatabase.Array("next", NpgsqlDbType.Bigint, attempts, c => c.Outcome.NextAttemptAt?.ToUnixTimeMilliseconds()));
        update.Parameters.Add(PostgresDatabase.Array("delivered", NpgsqlDbType.Bigint, attempts, c => c.Outcome.State == DeliveryState.Delivered
            ? (c.Attempt.StartedAt + c.Attempt.Latency).ToUnixTimeMilliseconds()
            : (long?)null));
        batch.BatchCommands.Add(update);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeferAsync(IReadOnlyList<Deferral> deferrals, CancellationToken cancellationToken)
    {
        if (deferrals.Count == 0)
        {
            return;
        }
        await using var command = dataSource.CreateCommand(
            """
            UPDATE events e SET next_attempt_at = d.until, lease_owner = NULL, lease_expires_at = NULL
            FROM unnest(@id, @until) AS d(id, until)
            WHERE e.id = d.id AND e.state = 'pending';
            """);
        command.Parameters.Add(PostgresDatabase.Array("id", NpgsqlDbType.Text, deferrals, d => d.EventId));
        command.Parameters.Add(PostgresDatabase.Array("until", NpgsqlDbType.Bigint, deferrals, d => d.Until.ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> ReplayAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        command.CommandText = EventFilters.Replay(command, selection, now, '@') + $"; NOTIFY {PostgresDatabase.EventsChannel};";
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder(
            "SELECT id, channel_id, kind, message_id, state, occurred_at, next_attempt_at, delivered_at, payload FROM events WHERE TRUE");
        EventFilters.AppendListFilter(sql, command, query, '@');
        sql.Append(query.NewestFirst ? " ORDER BY id COLLATE \"C\" DESC LIMIT @limit;" : " ORDER BY id COLLATE \"C\" LIMIT @limit;");
        command.Parameters.AddWithValue("limit", query.Limit);
        command.CommandText = sql.ToString();

        var records = new List<DeliveryRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var rowState = ParseState(reader.GetString(4));
                records.Add(new DeliveryRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), rowState, FromMs(reader.GetInt64(5)),
                    rowState == DeliveryState.Pending && !reader.IsDBNull(6) ? FromMs(reader.GetInt64(6)) : null,
                    reader.IsDBNull(7) ? null : FromMs(reader.GetInt64(7)), reader.GetString(8), []));
            }
        }
        if (records.Count == 0)
        {
            return records;
        }
        var attempts = records.ToDictionary(r => r.EventId, _ => new List<DeliveryAttempt>(), StringComparer.Ordinal);
        await using (var attemptsCommand = connection.CreateCommand())
        {
            attemptsCommand.CommandText =
                """
                SELECT event_id, number, started_at, url, status_code, latency_ms, error, response_excerpt, succeeded, slow
                FROM delivery_attempts WHERE event_id = ANY(@ids) ORDER BY event_id, number;
                """;
            attemptsCommand.Parameters.AddWithValue("ids", attempts.Keys.ToArray());
            await using var reader = await attemptsCommand.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var eventId = reader.GetString(0);
                attempts[eventId].Add(new DeliveryAttempt(eventId, reader.GetInt32(1), FromMs(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    TimeSpan.FromMilliseconds(reader.GetDouble(5)), reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetBoolean(8), reader.GetBoolean(9)));
            }
        }
        return [.. records.Select(r => r with { Attempts = attempts[r.EventId] })];
    }
}
