using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Webhooks.Delivery;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresTemplateStore(NpgsqlDataSource dataSource) : Templates.ITemplateStore
{
    public async Task<bool> CreateTemplateAsync(Templates.MessageTemplate messageTemplate, IReadOnlyList<NewWebhookEvent> events,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = PostgresDatabase.Command(connection, transaction,
            """
            INSERT INTO templates (waba_id, name, language, category, components, created_at, approved_at, rejected_reason)
            VALUES (@waba, @name, @language, @category, @components, @created, @approved, @rejected) ON CONFLICT DO NOTHING;
            """);
        command.Parameters.AddWithValue("waba", messageTemplate.WabaId);
        command.Parameters.AddWithValue("name", messageTemplate.Name);
        command.Parameters.AddWithValue("language", messageTemplate.Language);
        command.Parameters.AddWithValue("category", messageTemplate.Category);
        command.Parameters.AddWithValue("components", messageTemplate.Components);
        command.Parameters.AddWithValue("created", messageTemplate.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("approved", messageTemplate.ApprovedAt.ToUnixTimeMilliseconds());
        command.Parameters.Add(new NpgsqlParameter("rejected", NpgsqlDbType.Text) { Value = (object?)messageTemplate.RejectedReason ?? DBNull.Value });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }
        if (events.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var e in events)
            {
                batch.BatchCommands.Add(PostgresDatabase.EventInsert(e));
            }
            batch.BatchCommands.Add(PostgresDatabase.Notify(events));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }


    public async Task<IReadOnlyList<Templates.MessageTemplate>> ListTemplatesAsync(string wabaId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StorageRows.TemplateColumns} FROM templates WHERE waba_id = @waba ORDER BY name COLLATE \"C\", language COLLATE \"C\";");
        command.Parameters.AddWithValue("waba", wabaId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Template, cancellationToken);
    }

    public async Task<Templates.MessageTemplate?> FindTemplateAsync(string wabaId, string name, string language, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StorageRows.TemplateColumns} FROM templates WHERE waba_id = @waba AND name = @name AND language = @language;");
        command.Parameters.AddWithValue("waba", wabaId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("language", language);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Template(reader) : null;
    }

    public async Task<int> DeleteTemplatesAsync(string wabaId, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM templates WHERE waba_id = @waba AND name = @name;");
        command.Parameters.AddWithValue("waba", wabaId);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

}
