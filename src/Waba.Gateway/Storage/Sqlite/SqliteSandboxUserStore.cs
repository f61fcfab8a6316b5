using Microsoft.Data.Sqlite;
using Waba.Gateway.Sandbox;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteSandboxUserStore(SqliteGatewayStore database) : ISandboxUserStore
{
    private const string Columns = "waba_id, wa_id, user_id, parent_user_id, username, hides_number, phone_shared_at, changed_to, created_at";

    public Task<SandboxUser?> FindAsync(string wabaId, string waId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM sandbox_users WHERE waba_id = $waba AND wa_id = $key;", wabaId, waId, cancellationToken);

    public Task<SandboxUser?> FindByUserIdAsync(string wabaId, string userId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM sandbox_users WHERE waba_id = $waba AND (user_id = $key OR parent_user_id = $key) ORDER BY changed_to IS NOT NULL LIMIT 1;",
            wabaId, userId, cancellationToken);

    public async Task<SandboxUser> GetOrAddAsync(SandboxUser candidate, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteGatewayStore.Command(connection, transaction,
                $"INSERT INTO sandbox_users ({Columns}) VALUES ($waba, $wa, $user, $parent, $username, $hides, $shared, $changed, $created) ON CONFLICT DO NOTHING;");
            Bind(command, candidate);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return await FindAsync(candidate.WabaId, candidate.WaId, cancellationToken) ?? candidate;
    }

    public Task SaveAsync(SandboxUser user, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteGatewayStore.Command(connection, transaction,
                "UPDATE sandbox_users SET username = $username, hides_number = $hides, phone_shared_at = $shared, changed_to = $changed WHERE waba_id = $waba AND wa_id = $wa;");
            Bind(command, user);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static void Bind(SqliteCommand command, SandboxUser user)
    {
        command.Parameters.AddWithValue("$waba", user.WabaId);
        command.Parameters.AddWithValue("$wa", user.WaId);
        command.Parameters.AddWithValue("$user", user.UserId);
        command.Parameters.AddWithValue("$parent", user.ParentUserId);
        command.Parameters.AddWithValue("$username", (object?)user.Username ?? DBNull.Value);
        command.Parameters.AddWithValue("$hides", user.HidesNumber ? 1 : 0);
        command.Parameters.AddWithValue("$shared", (object?)user.PhoneSharedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$changed", (object?)user.ChangedTo ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", user.CreatedAt.ToUnixTimeMilliseconds());
    }

    private async Task<SandboxUser?> QueryAsync(string sql, string wabaId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteGatewayStore.Command(connection, null, sql);
        command.Parameters.AddWithValue("$waba", wabaId);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static SandboxUser Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt64(5) != 0,
        r.IsDBNull(6) ? null : FromMs(r.GetInt64(6)), r.IsDBNull(7) ? null : r.GetString(7), FromMs(r.GetInt64(8)));
}
