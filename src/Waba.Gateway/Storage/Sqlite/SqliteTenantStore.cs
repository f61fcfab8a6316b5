using Microsoft.Data.Sqlite;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteTenantStore(SqliteDatabase database) : Tenancy.ITenantStore
{
    public async Task<bool> HasAnyWabaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SqliteDatabase.ScalarAsync(connection, null, "SELECT EXISTS (SELECT 1 FROM wabas);", cancellationToken) is long and 1;
    }

    public Task CreateWabaAsync(BusinessAccount waba, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO wabas (id, name, created_at) VALUES ($id, $name, $created);");
            command.Parameters.AddWithValue("$id", waba.Id);
            command.Parameters.AddWithValue("$name", waba.Name);
            command.Parameters.AddWithValue("$created", waba.CreatedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<BusinessAccount?> FindWabaAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, "SELECT id, name, created_at FROM wabas WHERE id = $id AND removed_at IS NULL;");
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new BusinessAccount(reader.GetString(0), reader.GetString(1), FromMs(reader.GetInt64(2)))
            : null;
    }

    public Task CreateChannelAsync(Channel channel, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                """
                INSERT INTO channels (id, waba_id, phone_number, phone_number_id, hosting_type, upstream, created_at)
                VALUES ($id, $waba, $phone, $pnid, $hosting, $upstream, $created);
                """);
            command.Parameters.AddWithValue("$id", channel.Id);
            command.Parameters.AddWithValue("$waba", channel.WabaId);
            command.Parameters.AddWithValue("$phone", channel.PhoneNumber);
            command.Parameters.AddWithValue("$pnid", channel.PhoneNumberId);
            command.Parameters.AddWithValue("$hosting", channel.HostingType.ToWire());
            command.Parameters.AddWithValue("$upstream", channel.Upstream);
            command.Parameters.AddWithValue("$created", channel.CreatedAt.ToUnixTimeMilliseconds());
            try
            {
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException e) when (e.SqliteExtendedErrorCode == 2067 /* SQLITE_CONSTRAINT_UNIQUE */)
            {
                throw new DuplicateEntryException("A phone number with this number or phone-number id already exists.", e);
            }
        }, cancellationToken);

    public async Task<Channel?> FindChannelAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, $"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.id = $id AND c.removed_at IS NULL;");
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Channel(reader, 0) : null;
    }

    public Task AddApiKeyAsync(string channelId, IssuedApiKey key, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO api_keys (id, channel_id, prefix, hash, created_at) VALUES ($id, $channel, $prefix, $hash, $created);");
            command.Parameters.AddWithValue("$id", key.Id);
            command.Parameters.AddWithValue("$channel", channelId);
            command.Parameters.AddWithValue("$prefix", key.Prefix);
            command.Parameters.AddWithValue("$hash", key.Hash);
            command.Parameters.AddWithValue("$created", createdAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    // One process owns a SQLite file, so every change to keys and numbers passes through this store and can clear the
    // cache: a revoked key is refused on the next request. (The PostgreSQL engine asks the database every time.)
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiKeyCandidate> _keyCache = new(StringComparer.Ordinal);

    public async Task<ApiKeyCandidate?> FindApiKeyAsync(string prefix, CancellationToken cancellationToken)
    {
        if (_keyCache.TryGetValue(prefix, out var cached))
        {
            return cached;
        }
        // A lookup that overlapped a change must not cache what it read before the change.
        var generation = Volatile.Read(ref _keyGeneration);
        var found = await QueryApiKeyAsync(prefix, cancellationToken);
        if (found is not null && _keyCache.Count < 100_000 && generation == Volatile.Read(ref _keyGeneration))
        {
            _keyCache[prefix] = found;
            if (generation != Volatile.Read(ref _keyGeneration))
            {
                _keyCache.TryRemove(prefix, out _);
            }
        }
        return found;
    }

    private int _keyGeneration;

    private void ForgetKeys()
    {
        Interlocked.Increment(ref _keyGeneration);
        _keyCache.Clear();
    }

    public async Task<bool> SetChannelUpstreamAsync(string id, string upstream, CancellationToken cancellationToken)
    {
        try { return await SetChannelUpstreamCoreAsync(id, upstream, cancellationToken); }
        finally { ForgetKeys(); }
    }

    public async Task<bool> SetChannelRegistrationAsync(string id, DateTimeOffset? deregisteredAt, CancellationToken cancellationToken)
    {
        try
        {
            return await database.WriteAsync(async (connection, transaction) =>
            {
                await using var command = SqliteDatabase.Command(connection, transaction,
                    "UPDATE channels SET deregistered_at = $at WHERE id = $id AND removed_at IS NULL;");
                command.Parameters.AddWithValue("$at", (object?)deregisteredAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                command.Parameters.AddWithValue("$id", id);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken) == 1;
        }
        finally { ForgetKeys(); }
    }

    public async Task<RemoveOutcome> RemoveChannelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try { return await RemoveChannelCoreAsync(id, now, cancellationToken); }
        finally { ForgetKeys(); }
    }

    public async Task<bool> RevokeApiKeyAsync(string channelId, string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try { return await RevokeApiKeyCoreAsync(channelId, keyId, now, cancellationToken); }
        finally { ForgetKeys(); }
    }

    public async Task<Channel?> MigrateToCloudAsync(string channelId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try { return await MigrateToCloudCoreAsync(channelId, now, cancellationToken); }
        finally { ForgetKeys(); }
    }

    private async Task<ApiKeyCandidate?> QueryApiKeyAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            $"""
            SELECT k.id, k.hash, {StorageRows.ChannelColumns}
            FROM api_keys k JOIN channels c ON c.id = k.channel_id
            WHERE k.prefix = $prefix AND k.revoked_at IS NULL AND c.removed_at IS NULL;
            """);
        command.Parameters.AddWithValue("$prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ApiKeyCandidate(reader.GetString(0), (byte[])reader.GetValue(1), StorageRows.Channel(reader, 2))
            : null;
    }

    public async Task<IReadOnlyList<BusinessAccount>> ListWabasAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            "SELECT id, name, created_at FROM wabas WHERE removed_at IS NULL AND id > $after ORDER BY id LIMIT $limit;");
        command.Parameters.AddWithValue("$after", after ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.Waba, cancellationToken);
    }

    public async Task<bool> RenameWabaAsync(string id, string name, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction, "UPDATE wabas SET name = $name WHERE id = $id AND removed_at IS NULL;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;

    public async Task<RemoveOutcome> RemoveWabaAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = RemoveOutcome.NotFound;
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var numbers = SqliteDatabase.Command(connection, transaction, "SELECT count(*) FROM channels WHERE waba_id = $id AND removed_at IS NULL;");
            numbers.Parameters.AddWithValue("$id", id);
            if (await numbers.ExecuteScalarAsync(cancellationToken) is long n and > 0)
            {
                outcome = RemoveOutcome.InUse;
                return 0;
            }
            await using var command = SqliteDatabase.Command(connection, transaction, "UPDATE wabas SET removed_at = $now WHERE id = $id AND removed_at IS NULL;");
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", id);
            outcome = await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? RemoveOutcome.Removed : RemoveOutcome.NotFound;
            return 0;
        }, cancellationToken);
        return outcome;
    }

    public async Task<IReadOnlyList<Channel>> ListChannelsAsync(string? wabaId, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            $"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.removed_at IS NULL AND ($waba IS NULL OR c.waba_id = $waba) AND c.id > $after ORDER BY c.id LIMIT $limit;");
        command.Parameters.AddWithValue("$waba", (object?)wabaId ?? DBNull.Value);
        command.Parameters.AddWithValue("$after", after ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, r => StorageRows.Channel(r, 0), cancellationToken);
    }

    private async Task<bool> SetChannelUpstreamCoreAsync(string id, string upstream, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction, "UPDATE channels SET upstream = $upstream WHERE id = $id AND removed_at IS NULL;");
            command.Parameters.AddWithValue("$upstream", upstream);
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;

    private async Task<RemoveOutcome> RemoveChannelCoreAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                """
                UPDATE channels SET removed_at = $now WHERE id = $id AND removed_at IS NULL;
                UPDATE api_keys SET revoked_at = $now WHERE channel_id = $id AND revoked_at IS NULL;
                """);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await using var check = SqliteDatabase.Command(connection, transaction, "SELECT removed_at = $now FROM channels WHERE id = $id;");
            check.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            check.Parameters.AddWithValue("$id", id);
            return await check.ExecuteScalarAsync(cancellationToken) is long and 1 ? 1 : 0;
        }, cancellationToken) == 1 ? RemoveOutcome.Removed : RemoveOutcome.NotFound;

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            "SELECT id, prefix, created_at, revoked_at FROM api_keys WHERE channel_id = $channel ORDER BY created_at, id;");
        command.Parameters.AddWithValue("$channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await StorageRows.AllAsync(reader, StorageRows.ApiKey, cancellationToken);
    }

    private async Task<bool> RevokeApiKeyCoreAsync(string channelId, string keyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "UPDATE api_keys SET revoked_at = $now WHERE id = $id AND channel_id = $channel AND revoked_at IS NULL;");
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", keyId);
            command.Parameters.AddWithValue("$channel", channelId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;

    private async Task<Channel?> MigrateToCloudCoreAsync(string channelId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Channel? migrated = null;
        await database.WriteAsync(async (connection, transaction) =>
        {
            Channel? channel;
            await using (var find = SqliteDatabase.Command(connection, transaction, $"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.id = $id;"))
            {
                find.Parameters.AddWithValue("$id", channelId);
                await using var reader = await find.ExecuteReaderAsync(cancellationToken);
                channel = await reader.ReadAsync(cancellationToken) ? StorageRows.Channel(reader, 0) : null;
            }
            if (channel is null || channel.HostingType == HostingType.Cloud)
            {
                migrated = channel;
                return 0;
            }
            bool firstMove;
            await using (var first = SqliteDatabase.Command(connection, transaction, "SELECT first_migration_at IS NULL FROM wabas WHERE id = $waba;"))
            {
                first.Parameters.AddWithValue("$waba", channel.WabaId);
                firstMove = await first.ExecuteScalarAsync(cancellationToken) is long and 1;
            }
            var numberWebhook = await SqliteWebhookConfigStore.FindWebhookAsync(connection, transaction, WebhookScope.PhoneNumber, channel.Id, cancellationToken);
            if (firstMove)
            {
                if (numberWebhook is not null)
                {
                    await SqliteWebhookConfigStore.UpsertWebhookAsync(connection, transaction, WebhookScope.Waba, channel.WabaId, numberWebhook with { UpdatedAt = now }, cancellationToken);
                }
                await using var mark = SqliteDatabase.Command(connection, transaction, "UPDATE wabas SET first_migration_at = $now WHERE id = $waba;");
                mark.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
                mark.Parameters.AddWithValue("$waba", channel.WabaId);
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var drop = SqliteDatabase.Command(connection, transaction, "DELETE FROM webhooks WHERE scope = 'number' AND owner_id = $id;"))
            {
                drop.Parameters.AddWithValue("$id", channel.Id);
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var move = SqliteDatabase.Command(connection, transaction, "UPDATE channels SET hosting_type = $cloud WHERE id = $id;"))
            {
                move.Parameters.AddWithValue("$cloud", HostingTypes.Cloud);
                move.Parameters.AddWithValue("$id", channel.Id);
                await move.ExecuteNonQueryAsync(cancellationToken);
            }
            migrated = channel with { HostingType = HostingType.Cloud };
            return 1;
        }, cancellationToken);
        return migrated;
    }

    public async Task<Channel?> FindChannelByPhoneNumberIdAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null, $"SELECT {StorageRows.ChannelColumns} FROM channels c WHERE c.phone_number_id = $pnid AND c.removed_at IS NULL;");
        command.Parameters.AddWithValue("$pnid", phoneNumberId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? StorageRows.Channel(reader, 0) : null;
    }
}
