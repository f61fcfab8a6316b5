using Microsoft.Data.Sqlite;

namespace Waba.Load;

/// <summary>Writes a backlog of pending deliveries straight into a stopped gateway's SQLite file (HTTP would take minutes).</summary>
internal static class Backlog
{
    public static void Insert(string databasePath, string numberId, int count)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO events (id, channel_id, kind, shape, message_id, payload, occurred_at, state, next_attempt_at)
            VALUES ($id, $channel, 'message.text', 'on_premise', $message, $payload, $now, 'pending', $now);
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var message = command.Parameters.Add("$message", SqliteType.Text);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        command.Parameters.AddWithValue("$channel", numberId);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        for (var i = 0; i < count; i++)
        {
            var messageId = $"wamid.backlog{i:D9}";
            id.Value = $"evt_{i:D32}";
            message.Value = messageId;
            payload.Value = $$$"""{"contacts":[{"profile":{"name":"Bench"},"wa_id":"4915199999999"}],"messages":[{"from":"4915199999999","id":"{{{messageId}}}","timestamp":"1795567992","type":"text","text":{"body":"backlog event {{{i}}} padded to a realistic size ................................................................................"}}]}""";
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
