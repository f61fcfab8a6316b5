using System.Text.Json;
using Npgsql;
using Waba.Gateway.Profiles;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresBusinessProfileStore(NpgsqlDataSource dataSource) : IBusinessProfileStore
{
    public async Task<BusinessProfile?> FindAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT body FROM business_profiles WHERE channel_id = @channel;");
        command.Parameters.AddWithValue("channel", channelId);
        return await command.ExecuteScalarAsync(cancellationToken) is string body
            ? JsonSerializer.Deserialize(body, ProfileJsonContext.Default.BusinessProfile)
            : null;
    }

    public async Task SaveAsync(string channelId, BusinessProfile profile, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO business_profiles (channel_id, body) VALUES (@channel, @body) ON CONFLICT (channel_id) DO UPDATE SET body = excluded.body;");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("body", JsonSerializer.Serialize(profile, ProfileJsonContext.Default.BusinessProfile));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
