using System.Globalization;
using Microsoft.Data.Sqlite;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteTemplateStore(SqliteDatabase database) : Templates.ITemplateStore
{
    public async Task<bool> CreateTemplateAsync(Templates.MessageTemplate messageTemplate, IReadOnlyList<NewWebhookEvent> events,
        CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                """
                INSERT INTO templates (waba_id, name, language, category, components, created_at, approved_at, rejected_reason)
                VALUES ($waba, $name, $language, $category, $components, $created, $approved, $rejected) ON CONFLICT DO NOTHING;
                """);
            command.Parameters.AddWithValue("$waba", messageTemplate.WabaId);
            command.Parameters.AddWithValue("$name", messageTemplate.Name);
            command.Parameters.AddWithValue("$language", messageTemplate.Language);
            command.Parameters.AddWithValue("$category", messageTemplate.Category);
            command.Parameters.AddWithValue("$components", messageTemplate.Components);
            command.Parameters.AddWithValue("$created", messageTemplate.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$approved", messageTemplate.ApprovedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$rejected", (object?)messageTemplate.RejectedReason ?? DBNull.Value);
            var inserted = await command.ExecuteNonQueryAsync(cancellationToken);
            if (inserted == 1)
            {
                await SqliteDatabase.InsertEventsAsync(connection, transaction, events, cancellationToken);
            }
            return inserted;
        }, cancellationToken) == 1;


    public async Task<IReadOnlyList<Templates.MessageTemplate>> ListTemplatesAsync(string wabaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, $"SELECT {StorageRows.TemplateColumns} FROM templates WHERE waba_id = $waba ORDER BY name, language;");
        command.Parameters.AddWithValue("$waba", wabaId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Template, cancellationToken);
    }

    public async Task<Templates.MessageTemplate?> FindTemplateAsync(string wabaId, string name, string language, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, $"SELECT {StorageRows.TemplateColumns} FROM templates WHERE waba_id = $waba AND name = $name AND language = $language;");
        command.Parameters.AddWithValue("$waba", wabaId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$language", language);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Template(reader) : null;
    }

    public Task<int> DeleteTemplatesAsync(string wabaId, string name, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction, "DELETE FROM templates WHERE waba_id = $waba AND name = $name;");
            command.Parameters.AddWithValue("$waba", wabaId);
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

}
