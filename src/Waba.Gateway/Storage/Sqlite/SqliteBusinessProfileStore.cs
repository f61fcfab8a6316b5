using System.Text.Json;
using Waba.Gateway.Profiles;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteBusinessProfileStore(SqliteDatabase database) : IBusinessProfileStore
{
    public async Task<BusinessProfile?> FindAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT body FROM business_profiles WHERE channel_id = $channel;");
        command.Parameters.AddWithValue("$channel", channelId);
        return await command.ExecuteScalarAsync(cancellationToken) is string body
            ? JsonSerializer.Deserialize(body, ProfileJsonContext.Default.BusinessProfile)
            : null;
    }

    public Task SaveAsync(string channelId, BusinessProfile profile, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO business_profiles (channel_id, body) VALUES ($channel, $body) ON CONFLICT (channel_id) DO UPDATE SET body = excluded.body;");
            command.Parameters.AddWithValue("$channel", channelId);
            command.Parameters.AddWithValue("$body", JsonSerializer.Serialize(profile, ProfileJsonContext.Default.BusinessProfile));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
