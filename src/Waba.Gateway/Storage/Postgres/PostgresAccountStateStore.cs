using System.Text.Json.Nodes;
using Npgsql;
using Waba.Gateway.Numbers;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresAccountStateStore(NpgsqlDataSource dataSource) : IAccountStateStore
{
    public async Task<AccountState?> FindAsync(string scope, string ownerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT body, updated_at FROM account_states WHERE scope = @scope AND owner_id = @owner;");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("owner", ownerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AccountState(JsonNode.Parse(reader.GetString(0)) as JsonObject ?? [], FromMs(reader.GetInt64(1)))
            : null;
    }

    public async Task SaveAsync(IReadOnlyList<AccountStatePatch> patches, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (patches.Count == 0)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in Merges(patches, at))
        {
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One upsert per patch; <c>jsonb ||</c> sets the patch's members on the stored object in the statement itself, so
    /// instances writing the same state at once cannot lose each other's members.
    /// </summary>
    internal static IEnumerable<NpgsqlBatchCommand> Merges(IReadOnlyList<AccountStatePatch> patches, DateTimeOffset at)
    {
        foreach (var patch in patches)
        {
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO account_states (scope, owner_id, body, updated_at) VALUES (@scope, @owner, @body, @at)
                ON CONFLICT (scope, owner_id) DO UPDATE SET body = (account_states.body::jsonb || excluded.body::jsonb)::text, updated_at = excluded.updated_at;
                """);
            command.Parameters.AddWithValue("scope", patch.Scope);
            command.Parameters.AddWithValue("owner", patch.OwnerId);
            command.Parameters.AddWithValue("body", patch.Members.ToJsonString());
            command.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
            yield return command;
        }
    }
}
