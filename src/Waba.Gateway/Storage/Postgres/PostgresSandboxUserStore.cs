using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Sandbox;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresSandboxUserStore(NpgsqlDataSource dataSource) : ISandboxUserStore
{
    private const string Columns = "waba_id, wa_id, username, hides_number, phone_shared_at, changed_to, created_at, not_on_whatsapp, never_reads";

    // Every send looks its user up: the WABA's stored users are kept whole at the version its request read (see
    // ReadSnapshot), so a user who was never stored is known absent without a query too.
    private readonly VersionedSets<SandboxUser> _users = new();

    public async Task<SandboxUser?> FindAsync(string wabaId, string waId, CancellationToken cancellationToken)
    {
        if (ReadSnapshot.Current?.VersionOfWaba(wabaId) is { } version
            && await _users.GetAsync(wabaId, version, () => LoadAllAsync(wabaId)) is { } all)
        {
            return all.GetValueOrDefault(waId);
        }
        return await QueryAsync($"SELECT {Columns} FROM sandbox_users WHERE waba_id = @waba AND wa_id = @key;", wabaId, waId, cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, SandboxUser>?> LoadAllAsync(string wabaId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM sandbox_users WHERE waba_id = @waba LIMIT @limit;");
        command.Parameters.AddWithValue("waba", wabaId);
        command.Parameters.AddWithValue("limit", VersionedSets<SandboxUser>.MaxRows + 1);
        await using var reader = await command.ExecuteReaderAsync();
        var users = new Dictionary<string, SandboxUser>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var user = Read(reader);
            users[user.WaId] = user;
        }
        return users.Count > VersionedSets<SandboxUser>.MaxRows ? null : users;
    }

    public async Task SaveAsync(SandboxUser user, CancellationToken cancellationToken)
    {
        ReadSnapshot.Current?.Forget();
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO sandbox_users ({Columns}) VALUES (@waba, @wa, @username, @hides, @shared, @changed, @created, @absent, @unread)
            ON CONFLICT (waba_id, wa_id) DO UPDATE SET username = excluded.username, hides_number = excluded.hides_number,
                phone_shared_at = excluded.phone_shared_at, changed_to = excluded.changed_to,
                    not_on_whatsapp = excluded.not_on_whatsapp, never_reads = excluded.never_reads;
            """);
        Bind(command, user);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(NpgsqlCommand command, SandboxUser user)
    {
        command.Parameters.AddWithValue("waba", user.WabaId);
        command.Parameters.AddWithValue("wa", user.WaId);
        command.Parameters.Add(new NpgsqlParameter("username", NpgsqlDbType.Text) { Value = (object?)user.Username ?? DBNull.Value });
        command.Parameters.AddWithValue("hides", user.HidesNumber);
        command.Parameters.Add(new NpgsqlParameter("shared", NpgsqlDbType.Bigint) { Value = (object?)user.PhoneSharedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("changed", NpgsqlDbType.Text) { Value = (object?)user.ChangedTo ?? DBNull.Value });
        command.Parameters.AddWithValue("created", user.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("absent", user.NotOnWhatsApp);
        command.Parameters.AddWithValue("unread", user.NeverReads);
    }

    private async Task<SandboxUser?> QueryAsync(string sql, string wabaId, string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("waba", wabaId);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static SandboxUser Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3),
        r.IsDBNull(4) ? null : FromMs(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetString(5), FromMs(r.GetInt64(6)),
        r.GetBoolean(7), r.GetBoolean(8));
}
