using Waba.Gateway.Admin;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteAdminKeyStore(SqliteDatabase database) : IAdminKeyStore
{
    public Task AddAsync(string id, string name, string prefix, byte[] hash, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO admin_keys (id, prefix, hash, name, created_at) VALUES ($id, $prefix, $hash, $name, $created);");
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$prefix", prefix);
            command.Parameters.AddWithValue("$hash", hash);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$created", createdAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<AdminKeyCandidate?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT id, hash FROM admin_keys WHERE prefix = $prefix AND revoked_at IS NULL;");
        command.Parameters.AddWithValue("$prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AdminKeyCandidate(reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    public async Task<IReadOnlyList<AdminKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT id, name, prefix, created_at, revoked_at FROM admin_keys ORDER BY created_at, id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.AdminKey, cancellationToken);
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction, "UPDATE admin_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL;");
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;

    public async Task<bool> AnyLiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteDatabase.ScalarAsync(connection, null, "SELECT EXISTS (SELECT 1 FROM admin_keys WHERE revoked_at IS NULL);", cancellationToken) is long and 1;
    }
}
