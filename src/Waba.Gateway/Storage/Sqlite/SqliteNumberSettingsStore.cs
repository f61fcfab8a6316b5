using System.Text.Json.Nodes;
using Waba.Gateway.Numbers;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteNumberSettingsStore(SqliteDatabase database) : INumberSettingsStore
{
    public async Task<NumberSettings?> FindAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT pin_hash, settings FROM number_settings WHERE channel_id = $channel;");
        command.Parameters.AddWithValue("$channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new NumberSettings(reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0), JsonNode.Parse(reader.GetString(1)) as JsonObject ?? [])
            : null;
    }

    public Task SavePinAsync(string channelId, byte[] pinHash, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO number_settings (channel_id, pin_hash) VALUES ($channel, $pin) ON CONFLICT (channel_id) DO UPDATE SET pin_hash = excluded.pin_hash;");
            command.Parameters.AddWithValue("$channel", channelId);
            command.Parameters.AddWithValue("$pin", pinHash);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task SaveSettingsAsync(string channelId, JsonObject settings, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO number_settings (channel_id, settings) VALUES ($channel, $settings) ON CONFLICT (channel_id) DO UPDATE SET settings = excluded.settings;");
            command.Parameters.AddWithValue("$channel", channelId);
            command.Parameters.AddWithValue("$settings", settings.ToJsonString());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
