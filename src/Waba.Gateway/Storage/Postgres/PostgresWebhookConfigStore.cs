using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Webhooks;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresWebhookConfigStore(NpgsqlDataSource dataSource) : Webhooks.IWebhookConfigStore
{
    public async Task SetWebhookAsync(WebhookScope scope, string ownerId, WebhookConfig config, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await UpsertWebhookAsync(connection, null, scope, ownerId, config, cancellationToken);
    }

    internal static async Task UpsertWebhookAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, WebhookScope scope, string ownerId,
        WebhookConfig config, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction,
            """
            INSERT INTO webhooks (scope, owner_id, url, headers, updated_at, secret, previous_secret, previous_secret_expires_at)
            VALUES (@scope, @owner, @url, @headers, @updated, @secret, @previous, @previousExpires)
            ON CONFLICT (scope, owner_id) DO UPDATE SET url = excluded.url, headers = excluded.headers, updated_at = excluded.updated_at,
                secret = excluded.secret, previous_secret = excluded.previous_secret, previous_secret_expires_at = excluded.previous_secret_expires_at;
            """);
        command.Parameters.AddWithValue("scope", ScopeName(scope));
        command.Parameters.AddWithValue("owner", ownerId);
        command.Parameters.AddWithValue("url", config.Url);
        command.Parameters.AddWithValue("headers", SerializeHeaders(config.Headers));
        command.Parameters.AddWithValue("updated", config.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("secret", config.Secret);
        command.Parameters.Add(new NpgsqlParameter("previous", NpgsqlDbType.Text) { Value = (object?)config.PreviousSecret ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("previousExpires", NpgsqlDbType.Bigint) { Value = (object?)config.PreviousSecretExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<WebhookConfig?> FindWebhookAsync(WebhookScope scope, string ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindWebhookAsync(connection, null, scope, ownerId, cancellationToken);
    }

    internal static async Task<WebhookConfig?> FindWebhookAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, WebhookScope scope,
        string ownerId, CancellationToken cancellationToken)
    {
        await using var command = PostgresDatabase.Command(connection, transaction, $"SELECT {StorageRows.WebhookColumns} FROM webhooks WHERE scope = @scope AND owner_id = @owner;");
        command.Parameters.AddWithValue("scope", ScopeName(scope));
        command.Parameters.AddWithValue("owner", ownerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Webhook(reader, 0) : null;
    }
}
