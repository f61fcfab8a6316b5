using Microsoft.Data.Sqlite;
using Waba.Gateway.Sandbox;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteSandboxUserStore(SqliteDatabase database, SqliteReadCache cache) : ISandboxUserStore
{
    private const string Columns = "waba_id, wa_id, username, hides_number, phone_shared_at, changed_to, created_at, not_on_whatsapp, never_reads";

    public async Task<SandboxUser?> FindAsync(string wabaId, string waId, CancellationToken cancellationToken) =>
        (await cache.Users.GetAsync(wabaId, () => LoadAsync(wabaId, cancellationToken))).GetValueOrDefault(waId);

    private async Task<IEnumerable<KeyValuePair<string, SandboxUser>>> LoadAsync(string wabaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, $"SELECT {Columns} FROM sandbox_users WHERE waba_id = $waba;");
        command.Parameters.AddWithValue("$waba", wabaId);
        var users = new List<KeyValuePair<string, SandboxUser>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var user = Read(reader);
            users.Add(new(user.WaId, user));
        }
        return users;
    }

    public async Task SaveAsync(SandboxUser user, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                $"""
                INSERT INTO sandbox_users ({Columns}) VALUES ($waba, $wa, $username, $hides, $shared, $changed, $created, $absent, $unread)
                ON CONFLICT (waba_id, wa_id) DO UPDATE SET username = excluded.username, hides_number = excluded.hides_number,
                    phone_shared_at = excluded.phone_shared_at, changed_to = excluded.changed_to,
                    not_on_whatsapp = excluded.not_on_whatsapp, never_reads = excluded.never_reads;
                """);
            Bind(command, user);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        cache.Users.Set(user.WabaId, user.WaId, user);
    }

    private static void Bind(SqliteCommand command, SandboxUser user)
    {
        command.Parameters.AddWithValue("$waba", user.WabaId);
        command.Parameters.AddWithValue("$wa", user.WaId);
        command.Parameters.AddWithValue("$username", (object?)user.Username ?? DBNull.Value);
        command.Parameters.AddWithValue("$hides", user.HidesNumber ? 1 : 0);
        command.Parameters.AddWithValue("$shared", (object?)user.PhoneSharedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$changed", (object?)user.ChangedTo ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", user.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$absent", user.NotOnWhatsApp ? 1 : 0);
        command.Parameters.AddWithValue("$unread", user.NeverReads ? 1 : 0);
    }

    private async Task<SandboxUser?> QueryAsync(string sql, string wabaId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, sql);
        command.Parameters.AddWithValue("$waba", wabaId);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static SandboxUser Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3) != 0,
        r.IsDBNull(4) ? null : FromMs(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetString(5), FromMs(r.GetInt64(6)),
        r.GetInt64(7) != 0, r.GetInt64(8) != 0);
}
