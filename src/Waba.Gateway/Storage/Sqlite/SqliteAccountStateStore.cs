using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Waba.Gateway.Numbers;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteAccountStateStore(SqliteDatabase database) : IAccountStateStore
{
    public async Task<AccountState?> FindAsync(string scope, string ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, scope, ownerId, cancellationToken);
    }

    public Task SaveAsync(IReadOnlyList<AccountStatePatch> patches, DateTimeOffset at, CancellationToken cancellationToken) =>
        patches.Count == 0 ? Task.CompletedTask : database.WriteAsync(async (connection, transaction) =>
        {
            await MergeAsync(connection, transaction, patches, at, cancellationToken);
            return 0;
        }, cancellationToken);

    /// <summary>Sets each patch's members on its owner's state. The one writer connection makes read-then-write safe here.</summary>
    internal static async Task MergeAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<AccountStatePatch> patches,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var patch in patches)
        {
            var body = (await FindAsync(connection, transaction, patch.Scope, patch.OwnerId, cancellationToken))?.Body ?? [];
            foreach (var (name, value) in patch.Members)
            {
                body[name] = value?.DeepClone();
            }
            await using var command = SqliteDatabase.Command(connection, transaction,
                """
                INSERT INTO account_states (scope, owner_id, body, updated_at) VALUES ($scope, $owner, $body, $at)
                ON CONFLICT (scope, owner_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at;
                """);
            command.Parameters.AddWithValue("$scope", patch.Scope);
            command.Parameters.AddWithValue("$owner", patch.OwnerId);
            command.Parameters.AddWithValue("$body", body.ToJsonString());
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<AccountState?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, string scope, string ownerId,
        CancellationToken cancellationToken)
    {
        await using var command = SqliteDatabase.Command(connection, transaction, "SELECT body, updated_at FROM account_states WHERE scope = $scope AND owner_id = $owner;");
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$owner", ownerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AccountState(JsonNode.Parse(reader.GetString(0)) as JsonObject ?? [], FromMs(reader.GetInt64(1)))
            : null;
    }
}
