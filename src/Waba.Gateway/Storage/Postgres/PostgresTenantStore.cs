using Npgsql;
using NpgsqlTypes;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Postgres;

internal sealed class PostgresTenantStore(NpgsqlDataSource dataSource) : Tenancy.ITenantStore
{
    public async Task<bool> HasAnyWabaAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM wabas);");
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task CreateWabaAsync(BusinessAccount waba, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO wabas (id, name, created_at) VALUES (@id, @name, @created);");
        command.Parameters.AddWithValue("id", waba.Id);
        command.Parameters.AddWithValue("name", waba.Name);
        command.Parameters.AddWithValue("created", waba.CreatedAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<BusinessAccount?> FindWabaAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, created_at FROM wabas WHERE id = @id AND removed_at IS NULL;");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new BusinessAccount(reader.GetString(0), reader.GetString(1), FromMs(reader.GetInt64(2))) : null;
    }

    public async Task CreateChannelAsync(Channel channel, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO channels (id, waba_id, phone_number, phone_number_id, hosting_type, upstream, created_at)
            VALUES (@id, @waba, @phone, @pnid, @hosting, @upstream, @created);
            """);
        command.Parameters.AddWithValue("id", channel.Id);
        command.Parameters.AddWithValue("waba", channel.WabaId);
        command.Parameters.AddWithValue("phone", channel.PhoneNumber);
        command.Parameters.AddWithValue("pnid", channel.PhoneNumberId);
        command.Parameters.AddWithValue("hosting", channel.HostingType.ToWire());
        command.Parameters.AddWithValue("upstream", channel.Upstream);
        command.Parameters.AddWithValue("created", channel.CreatedAt.ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateEntryException("A phone number with this number or phone-number id already exists.", e);
        }
    }

    public async Task<Channel?> FindChannelAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.id = @id AND c.removed_at IS NULL;");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Channel(reader, 0) : null;
    }

    public async Task AddApiKeyAsync(string channelId, IssuedApiKey key, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO api_keys (id, channel_id, prefix, hash, created_at) VALUES (@id, @channel, @prefix, @hash, @created);");
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("prefix", key.Prefix);
        command.Parameters.AddWithValue("hash", key.Hash);
        command.Parameters.AddWithValue("created", createdAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Instances share the database, so a cached key is trusted only at the WABA version its request reads now: a
    // revocation (or a number's removal) bumps that version in its own transaction, so the next request anywhere
    // reads a new version and looks the key up again. One indexed read instead of the key, number and WABA join.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiKeyCandidate Key, long Version)> _keys = new(StringComparer.Ordinal);

    public async Task<ApiKeyCandidate?> FindApiKeyAsync(string prefix, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(prefix, out var cached))
        {
            await using var check = dataSource.CreateCommand("SELECT version FROM waba_versions WHERE waba_id = @waba;");
            check.Parameters.AddWithValue("waba", cached.Key.Channel.WabaId);
            if (await check.ExecuteScalarAsync(cancellationToken) is long current && current == cached.Version)
            {
                ReadSnapshot.Current?.Record(cached.Key.Channel.WabaId, cached.Key.Channel.Id, current);
                return cached.Key;
            }
            _keys.TryRemove(prefix, out _);
        }
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT k.id, k.hash, {StorageRows.ChannelColumns}, v.version
            FROM api_keys k JOIN channels c ON c.id = k.channel_id LEFT JOIN waba_versions v ON v.waba_id = c.waba_id
            WHERE k.prefix = @prefix AND k.revoked_at IS NULL AND c.removed_at IS NULL;
            """);
        command.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var found = new ApiKeyCandidate(reader.GetString(0), (byte[])reader.GetValue(1), StorageRows.Channel(reader, 2));
        var versionColumn = reader.FieldCount - 1;
        if (!reader.IsDBNull(versionColumn))
        {
            var version = reader.GetInt64(versionColumn);
            ReadSnapshot.Current?.Record(found.Channel.WabaId, found.Channel.Id, version);
            if (_keys.Count < 100_000)
            {
                _keys[prefix] = (found, version);
            }
        }
        return found;
    }

    public async Task<IReadOnlyList<BusinessAccount>> ListWabasAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, name, created_at FROM wabas WHERE removed_at IS NULL AND id > @after ORDER BY id COLLATE \"C\" LIMIT @limit;");
        command.Parameters.AddWithValue("after", after ?? string.Empty);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Waba, cancellationToken);
    }

    public async Task<bool> RenameWabaAsync(string id, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE wabas SET name = @name WHERE id = @id AND removed_at IS NULL;");
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<RemoveOutcome> RemoveWabaAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockWaba = PostgresDatabase.Command(connection, transaction, "SELECT 1 FROM wabas WHERE id = @id AND removed_at IS NULL FOR UPDATE;"))
        {
            lockWaba.Parameters.AddWithValue("id", id);
            if (await lockWaba.ExecuteScalarAsync(cancellationToken) is null)
            {
                return RemoveOutcome.NotFound;
            }
        }
        await using (var numbers = PostgresDatabase.Command(connection, transaction, "SELECT count(*) FROM channels WHERE waba_id = @id AND removed_at IS NULL;"))
        {
            numbers.Parameters.AddWithValue("id", id);
            if (await numbers.ExecuteScalarAsync(cancellationToken) is long n && n > 0)
            {
                return RemoveOutcome.InUse;
            }
        }
        await using (var remove = PostgresDatabase.Command(connection, transaction, "UPDATE wabas SET removed_at = @now WHERE id = @id;"))
        {
            remove.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            remove.Parameters.AddWithValue("id", id);
            await remove.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return RemoveOutcome.Removed;
    }

    public async Task<IReadOnlyList<Channel>> ListChannelsAsync(string? wabaId, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.removed_at IS NULL AND (@waba::text IS NULL OR c.waba_id = @waba) AND c.id > @after ORDER BY c.id COLLATE \"C\" LIMIT @limit;");
        command.Parameters.Add(new NpgsqlParameter("waba", NpgsqlDbType.Text) { Value = (object?)wabaId ?? DBNull.Value });
        command.Parameters.AddWithValue("after", after ?? string.Empty);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, r => StorageRows.Channel(r, 0), cancellationToken);
    }

    public async Task<bool> SetChannelUpstreamAsync(string id, string upstream, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE channels SET upstream = @upstream WHERE id = @id AND removed_at IS NULL;");
        command.Parameters.AddWithValue("upstream", upstream);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> SetChannelRegistrationAsync(string id, DateTimeOffset? deregisteredAt, CancellationToken cancellationToken)
    {
        // The channels trigger bumps the WABA's version, so every instance's cached key (and its channel) is read again.
        await using var command = dataSource.CreateCommand("UPDATE channels SET deregistered_at = @at WHERE id = @id AND removed_at IS NULL;");
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)deregisteredAt?.ToUnixTimeMilliseconds() ?? DBNull.Value });
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<RemoveOutcome> RemoveChannelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var remove = PostgresDatabase.Command(connection, transaction, "UPDATE channels SET removed_at = @now WHERE id = @id AND removed_at IS NULL;"))
        {
            remove.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            remove.Parameters.AddWithValue("id", id);
            if (await remove.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return RemoveOutcome.NotFound;
            }
        }
        await using (var revoke = PostgresDatabase.Command(connection, transaction, "UPDATE api_keys SET revoked_at = @now WHERE channel_id = @id AND revoked_at IS NULL;"))
        {
            revoke.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            revoke.Parameters.AddWithValue("id", id);
            await revoke.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return RemoveOutcome.Removed;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, prefix, created_at, revoked_at FROM api_keys WHERE channel_id = @channel ORDER BY created_at, id;");
        command.Parameters.AddWithValue("channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.ApiKey, cancellationToken);
    }

    public async Task<bool> RevokeApiKeyAsync(string channelId, string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND channel_id = @channel AND revoked_at IS NULL;");
        command.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("id", keyId);
        command.Parameters.AddWithValue("channel", channelId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<Channel?> MigrateToCloudAsync(string channelId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Channel? channel;
        await using (var find = PostgresDatabase.Command(connection, transaction, $"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.id = @id FOR UPDATE;"))
        {
            find.Parameters.AddWithValue("id", channelId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            channel = await reader.ReadAsync(cancellationToken) ? StorageRows.Channel(reader, 0) : null;
        }
        if (channel is null || channel.HostingType == HostingType.Cloud)
        {
            return channel;
        }
        bool firstMove;
        await using (var first = PostgresDatabase.Command(connection, transaction, "SELECT first_migration_at IS NULL FROM wabas WHERE id = @waba FOR UPDATE;"))
        {
            first.Parameters.AddWithValue("waba", channel.WabaId);
            firstMove = await first.ExecuteScalarAsync(cancellationToken) is true;
        }
        var numberWebhook = await PostgresWebhookConfigStore.FindWebhookAsync(connection, transaction, WebhookScope.PhoneNumber, channel.Id, cancellationToken);
        if (firstMove)
        {
            if (numberWebhook is not null)
            {
                await PostgresWebhookConfigStore.UpsertWebhookAsync(connection, transaction, WebhookScope.Waba, channel.WabaId, numberWebhook with { UpdatedAt = now }, cancellationToken);
            }
            await using var mark = PostgresDatabase.Command(connection, transaction, "UPDATE wabas SET first_migration_at = @now WHERE id = @waba;");
            mark.Parameters.AddWithValue("now", now.ToUnixTimeMilliseconds());
            mark.Parameters.AddWithValue("waba", channel.WabaId);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var drop = PostgresDatabase.Command(connection, transaction, "DELETE FROM webhooks WHERE scope = 'number' AND owner_id = @id;"))
        {
            drop.Parameters.AddWithValue("id", channel.Id);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var move = PostgresDatabase.Command(connection, transaction, "UPDATE channels SET hosting_type = 'cloud' WHERE id = @id;"))
        {
            move.Parameters.AddWithValue("id", channel.Id);
            await move.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return channel with { HostingType = HostingType.Cloud };
    }

    public async Task<Channel?> FindChannelByPhoneNumberIdAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.phone_number_id = @pnid AND c.removed_at IS NULL;");
        command.Parameters.AddWithValue("pnid", phoneNumberId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Channel(reader, 0) : null;
    }
}
