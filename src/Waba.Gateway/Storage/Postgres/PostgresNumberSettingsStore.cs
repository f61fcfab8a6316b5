using System.Text.Json.Nodes;
using Npgsql;
using Waba.Gateway.Numbers;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresNumberSettingsStore(NpgsqlDataSource dataSource) : INumberSettingsStore
{
    public async Task<NumberSettings?> FindAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT pin_hash, settings FROM number_settings WHERE channel_id = @channel;");
        command.Parameters.AddWithValue("channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new NumberSettings(reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0), JsonNode.Parse(reader.GetString(1)) as JsonObject ?? [])
            : null;
    }

    public async Task SavePinAsync(string channelId, byte[] pinHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO number_settings (channel_id, pin_hash) VALUES (@channel, @pin) ON CONFLICT (channel_id) DO UPDATE SET pin_hash = excluded.pin_hash;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("pin", pinHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveSettingsAsync(string channelId, JsonObject settings, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO number_settings (channel_id, settings) VALUES (@channel, @settings) ON CONFLICT (channel_id) DO UPDATE SET settings = excluded.settings;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("settings", settings.ToJsonString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
