using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteWebhookOutbox(SqliteDatabase database) : Webhooks.Delivery.IWebhookOutbox
{
    public Task<int> ReleaseAllLeasesAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
            await SqliteDatabase.ExecuteAsync(connection, transaction,
                "UPDATE events SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner IS NOT NULL;", cancellationToken),
            cancellationToken);

    public async Task<QueueStats> GetQueueStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT count(*), MIN(occurred_at) FROM events WHERE state = 'pending';");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueStats(reader.GetInt64(0), reader.IsDBNull(1) ? null : FromMs(reader.GetInt64(1)));
    }

    public async Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(string owner, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var claimed = new List<DueDelivery>();
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using (var select = SqliteDatabase.Command(connection, transaction,
                """
                SELECT e.id, e.channel_id, e.payload, e.shape, e.occurred_at, e.attempts,
                       COALESCE(e.window_start_at, e.occurred_at), e.attempts_before_replay,
                       nw.url, nw.headers, nw.updated_at, nw.secret, nw.previous_secret, nw.previous_secret_expires_at,
                       ww.url, ww.headers, ww.updated_at, ww.secret, ww.previous_secret, ww.previous_secret_expires_at, e.to_waba
                FROM events e
                JOIN channels c ON c.id = e.channel_id
                LEFT JOIN webhooks nw ON nw.scope = 'number' AND nw.owner_id = e.channel_id
                LEFT JOIN webhooks ww ON ww.scope = 'waba' AND ww.owner_id = c.waba_id
                WHERE e.state = 'pending' AND e.next_attempt_at <= $now
                  AND (e.lease_expires_at IS NULL OR e.lease_expires_at <= $now)
                ORDER BY e.next_attempt_at
                LIMIT $limit;
                """))
            {
                select.Parameters.AddWithValue("$now", nowMs);
                select.Parameters.AddWithValue("$limit", limit);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    claimed.Add(StorageRows.Due(reader, now));
                }
            }
            if (claimed.Count == 0)
            {
                return 0;
            }
            await using var update = SqliteDatabase.Command(connection, transaction,
                "UPDATE events SET lease_owner = $owner, lease_expires_at = $until WHERE id = $id;");
            update.Parameters.AddWithValue("$owner", owner);
            update.Parameters.AddWithValue("$until", (now + lease).ToUnixTimeMilliseconds());
            var id = update.Parameters.Add("$id", SqliteType.Text);
            foreach (var delivery in claimed)
            {
                id.Value = delivery.EventId;
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            return claimed.Count;
        }, cancellationToken);
        return claimed;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A leased delivery becomes due again when its lease runs out. Both halves read an index from its low end, so
        // the answer costs the same with ten pending events or a million (one MIN over an expression scanned them all).
        var value = await SqliteDatabase.ScalarAsync(connection, null,
            """
            SELECT MIN(due) FROM (
                SELECT * FROM (SELECT next_attempt_at AS due FROM events WHERE state = 'pending' AND lease_expires_at IS NULL
                               ORDER BY next_attempt_at LIMIT 1)
                UNION ALL
                SELECT MAX(next_attempt_at, lease_expires_at) FROM events WHERE state = 'pending' AND lease_expires_at IS NOT NULL);
            """, cancellationToken);
        return value is long ms ? FromMs(ms) : null;
    }

    public Task CompleteAttemptsAsync(IReadOnlyList<CompletedAttempt> attempts, CancellationToken cancellationToken) =>
        attempts.Count == 0 ? Task.CompletedTask : database.WriteAsync(async (connection, transaction) =>
        {
            // One prepared statement each, bound once per attempt: SQLite parses each statement once per batch.
            await using var insert = SqliteDatabase.Command(connection, transaction,
                """
                INSERT INTO delivery_attempts (event_id, number, started_at, url, status_code, latency_ms, error, response_excerpt, succeeded, slow)
                VALUES ($event, $number, $started, $url, $status, $latency, $error, $excerpt, $ok, $slow);
                """);
            var eventId = insert.Parameters.Add("$event", SqliteType.Text);
            var number = insert.Parameters.Add("$number", SqliteType.Integer);
            var started = insert.Parameters.Add("$started", SqliteType.Integer);
            var url = insert.Parameters.Add("$url", SqliteType.Text);
            var status = insert.Parameters.Add("$status", SqliteType.Integer);
            var latency = insert.Parameters.Add("$latency", SqliteType.Real);
            var error = insert.Parameters.Add("$error", SqliteType.Text);
            var excerpt = insert.Parameters.Add("$excerpt", SqliteType.Text);
            var ok = insert.Parameters.Add("$ok", SqliteType.Integer);
            var slow = insert.Parameters.Add("$slow", SqliteType.Integer);
            await using var update = SqliteDatabase.Command(connection, transaction,
                """
                UPDATE events SET state = $state, attempts = $number, next_attempt_at = $next,
                       delivered_at = $delivered, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = $event;
                """);
            var state = update.Parameters.Add("$state", SqliteType.Text);
            var attemptsSoFar = update.Parameters.Add("$number", SqliteType.Integer);
            var next = update.Parameters.Add("$next", SqliteType.Integer);
            var delivered = update.Parameters.Add("$delivered", SqliteType.Integer);
            var updatedId = update.Parameters.Add("$event", SqliteType.Text);
            foreach (var (attempt, outcome) in attempts)
            {
                eventId.Value = attempt.EventId;
                number.Value = attempt.Number;
                started.Value = attempt.StartedAt.ToUnixTimeMilliseconds();
                url.Value = (object?)attempt.Url ?? DBNull.Value;
                status.Value = (object?)attempt.StatusCode ?? DBNull.Value;
                latency.Value = attempt.Latency.TotalMilliseconds;
                error.Value = (object?)attempt.Error ?? DBNull.Value;
                excerpt.Value = (object?)attempt.ResponseExcerpt ?? DBNull.Value;
                ok.Value = attempt.Succeeded ? 1 : 0;
                slow.Value = attempt.Slow ? 1 : 0;
                await insert.ExecuteNonQueryAsync(cancellationToken);

                state.Value = StateName(outcome.State);
                attemptsSoFar.Value = attempt.Number;
                next.Value = (object?)outcome.NextAttemptAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                delivered.Value = outcome.State == DeliveryState.Delivered
                    ? (attempt.StartedAt + attempt.Latency).ToUnixTimeMilliseconds()
                    : DBNull.Value;
                updatedId.Value = attempt.EventId;
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            return attempts.Count;
        }, cancellationToken);

    public Task DeferAsync(IReadOnlyList<Deferral> deferrals, CancellationToken cancellationToken) =>
        deferrals.Count == 0 ? Task.CompletedTask : database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "UPDATE events SET next_attempt_at = $until, lease_owner = NULL, lease_expires_at = NULL WHERE id = $id AND state = 'pending';");
            var until = command.Parameters.Add("$until", SqliteType.Integer);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            foreach (var deferral in deferrals)
            {
                until.Value = deferral.Until.ToUnixTimeMilliseconds();
                id.Value = deferral.EventId;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return deferrals.Count;
        }, cancellationToken);

    public Task<int> MakeDueAsync(WebhookScope scope, string ownerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                $"""
                UPDATE events SET next_attempt_at = $now
                WHERE state = 'pending' AND next_attempt_at > $now AND occurred_at <= $now AND lease_owner IS NULL
                  AND {(scope == WebhookScope.Waba ? "channel_id IN (SELECT id FROM channels WHERE waba_id = $owner)" : "channel_id = $owner")};
                """);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$owner", ownerId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<int> ReplayAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction, string.Empty);
            command.CommandText = EventFilters.Replay(command, selection, now, '$') + ";";
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = new StringBuilder(
            "SELECT id, channel_id, kind, message_id, state, occurred_at, next_attempt_at, delivered_at, payload FROM events WHERE TRUE");
        await using var command = SqliteDatabase.Command(connection, null, string.Empty);
        EventFilters.AppendListFilter(sql, command, query, '$');
        sql.Append(query.NewestFirst ? " ORDER BY id DESC LIMIT $limit;" : " ORDER BY id LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();

        var rows = new List<(string Id, string Channel, string Kind, string? Message, DeliveryState State, DateTimeOffset Occurred, DateTimeOffset? Next, DateTimeOffset? Delivered, string Payload)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), ParseState(reader.GetString(4)), FromMs(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : FromMs(reader.GetInt64(6)), reader.IsDBNull(7) ? null : FromMs(reader.GetInt64(7)),
                    reader.GetString(8)));
            }
        }

        var records = new List<DeliveryRecord>(rows.Count);
        await using var attemptsCommand = SqliteDatabase.Command(connection, null,
            """
            SELECT number, started_at, url, status_code, latency_ms, error, response_excerpt, succeeded, slow
            FROM delivery_attempts WHERE event_id = $event ORDER BY number;
            """);
        var eventParameter = attemptsCommand.Parameters.Add("$event", SqliteType.Text);
        foreach (var row in rows)
        {
            eventParameter.Value = row.Id;
            var attempts = new List<DeliveryAttempt>();
            await using (var reader = await attemptsCommand.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    attempts.Add(new DeliveryAttempt(row.Id, reader.GetInt32(0), FromMs(reader.GetInt64(1)),
                        reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt32(3),
                        TimeSpan.FromMilliseconds(reader.GetDouble(4)), reader.IsDBNull(5) ? null : reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7) == 1, reader.GetInt64(8) == 1));
                }
            }
            records.Add(new DeliveryRecord(row.Id, row.Channel, row.Kind, row.Message, row.State, row.Occurred,
                row.State == DeliveryState.Pending ? row.Next : null, row.Delivered, row.Payload, attempts));
        }
        return records;
    }
}
