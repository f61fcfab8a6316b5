using System.Globalization;
using Microsoft.Data.Sqlite;
using Waba.Gateway.Webhooks;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteWebhookConfigStore(SqliteDatabase database) : Webhooks.IWebhookConfigStore
{
    public Task SetWebhookAsync(WebhookScope scope, string ownerId, WebhookConfig config, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => UpsertWebhookAsync(connection, transaction, scope, ownerId, config, cancellationToken), cancellationToken);

    internal static async Task<int> UpsertWebhookAsync(SqliteConnection connection, SqliteTransaction transaction, WebhookScope scope,
        string ownerId, WebhookConfig config, CancellationToken cancellationToken)
    {
        await using var command = SqliteDatabase.Command(connection, transaction,
            """
            INSERT INTO webhooks (scope, owner_id, url, headers, updated_at, secret, previous_secret, previous_secret_expires_at)
            VALUES ($scope, $owner, $url, $headers, $updated, $secret, $previous, $previousExpires)
            ON CONFLICT (scope, owner_id) DO UPDATE SET url = excluded.url, headers = excluded.headers, updated_at = excluded.updated_at,
                secret = excluded.secret, previous_secret = excluded.previous_secret, previous_secret_expires_at = excluded.previous_secret_expires_at;
            """);
        command.Parameters.AddWithValue("$scope", ScopeName(scope));
        command.Parameters.AddWithValue("$owner", ownerId);
        command.Parameters.AddWithValue("$url", config.Url);
        command.Parameters.AddWithValue("$headers", SerializeHeaders(config.Headers));
        command.Parameters.AddWithValue("$updated", config.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$secret", config.Secret);
        command.Parameters.AddWithValue("$previous", (object?)config.PreviousSecret ?? DBNull.Value);
        command.Parameters.AddWithValue("$previousExpires", (object?)config.PreviousSecretExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<WebhookConfig?> FindWebhookAsync(WebhookScope scope, string ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindWebhookAsync(connection, null, scope, ownerId, cancellationToken);
    }

    internal static async Task<WebhookConfig?> FindWebhookAsync(SqliteConnection connection, SqliteTransaction? transaction, WebhookScope scope,
        string ownerId, CancellationToken cancellationToken)
    {
        await using var command = SqliteDatabase.Command(connection, transaction,
            $"SELECT {StorageRows.WebhookColumns} FROM webhooks WHERE scope = $scope AND owner_id = $owner;");
        command.Parameters.AddWithValue("$scope", ScopeName(scope));
        command.Parameters.AddWithValue("$owner", ownerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Webhook(reader, 0) : null;
    }
}
