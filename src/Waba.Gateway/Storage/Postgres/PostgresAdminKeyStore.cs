using Npgsql;
using Waba.Gateway.Admin;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresAdminKeyStore(NpgsqlDataSource dataSource) : IAdminKeyStore
{
    public async Task AddAsync(string id, string name, string prefix, byte[] hash, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO admin_keys (id, prefix, hash, name, created_at) VALUES (@id, @prefix, @hash, @name, @created);");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("prefix", prefix);
        command.Parameters.AddWithValue("hash", hash);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("created", createdAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Read every time: a key revoked through one instance is refused by every other on its next request.
    public async Task<AdminKeyCandidate?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, hash FROM admin_keys WHERE prefix = @prefix AND revoked_at IS NULL;");
        command.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AdminKeyCandidate(reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    public async Task<IReadOnlyList<AdminKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, prefix, created_at, revoked_at FROM admin_keys ORDER BY created_at, id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.AdminKey, cancellationToken);
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE admin_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL;");
        command.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> AnyLiveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM admin_keys WHERE revoked_at IS NULL);");
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
