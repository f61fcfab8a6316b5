using System.Data.Common;
using System.Text;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage;

/// <summary>
/// The delivery log's filters and the replay statement, written once for both engines; <c>p</c> is the engine's
/// parameter prefix (<c>$</c> for SQLite, <c>@</c> for PostgreSQL).
/// </summary>
internal static class EventFilters
{
    /// <summary>Appends the conditions of <paramref name="query"/> to a statement that ends in <c>WHERE TRUE</c>.</summary>
    public static void AppendListFilter(StringBuilder sql, DbCommand command, DeliveryQuery query, char p)
    {
        if (query.ChannelId is not null)
        {
            Add(sql, command, p, " AND channel_id = ", "channel", query.ChannelId);
        }
        if (query.State is { } state)
        {
            Add(sql, command, p, " AND state = ", "state", StateName(state));
        }
        if (query.EventId is not null)
        {
            Add(sql, command, p, " AND id = ", "id", query.EventId);
        }
        AppendTimeRange(sql, command, query.From, query.To, p);
        if (query.User is not null)
        {
            // A user's events name them by phone (wa_id, from, recipient_id) or BSUID (user_id, recipient_user_id) as a
            // JSON string; the caller checked the value holds no LIKE wildcards.
            Add(sql, command, p, " AND payload LIKE ", "user", $"%\"{query.User}\"%");
        }
        if (query.After is not null)
        {
            // Event ids are time-ordered (see WebhookEvents.NewEventId), so they page in creation order, either way.
            Add(sql, command, p, query.NewestFirst ? " AND id < " : " AND id > ", "after", query.After);
        }
    }

    /// <summary>The statement that makes the selected events pending again, due now, with a fresh retry window.</summary>
    public static string Replay(DbCommand command, ReplaySelection selection, DateTimeOffset now, char p)
    {
        var sql = new StringBuilder(
            $"""
            UPDATE events SET state = 'pending', next_attempt_at = {p}now, window_start_at = {p}now, attempts_before_replay = attempts,
                   delivered_at = NULL, lease_owner = NULL, lease_expires_at = NULL
            """);
        Parameter(command, p, "now", now.ToUnixTimeMilliseconds());
        if (selection.EventId is not null)
        {
            // One event is replayed whatever its state (a receiver may have lost what it acknowledged), unless in flight.
            Add(sql, command, p, " WHERE id = ", "id", selection.EventId);
            sql.Append(" AND (state <> 'pending' OR lease_owner IS NULL)");
        }
        else
        {
            sql.Append(" WHERE state = 'failed'");
            Add(sql, command, p, " AND channel_id = ", "channel", selection.ChannelId ?? string.Empty);
            AppendTimeRange(sql, command, selection.From, selection.To, p);
        }
        return sql.ToString();
    }

    private static void AppendTimeRange(StringBuilder sql, DbCommand command, DateTimeOffset? from, DateTimeOffset? to, char p)
    {
        if (from is { } start)
        {
            Add(sql, command, p, " AND occurred_at >= ", "from", start.ToUnixTimeMilliseconds());
        }
        if (to is { } end)
        {
            Add(sql, command, p, " AND occurred_at < ", "to", end.ToUnixTimeMilliseconds());
        }
    }

    private static void Add(StringBuilder sql, DbCommand command, char p, string condition, string name, object value)
    {
        sql.Append(condition).Append(p).Append(name);
        Parameter(command, p, name, value);
    }

    private static void Parameter(DbCommand command, char p, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = p + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
