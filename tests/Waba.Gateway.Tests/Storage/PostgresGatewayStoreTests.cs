using Npgsql;
using Waba.Gateway.Storage;
using Waba.Gateway.Storage.Postgres;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Storage;

public sealed class PostgresGatewayStoreTests : GatewayStoreContract
{
    private TestPostgres? _database;
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IGatewayStore> CreateStoreAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        return new PostgresGatewayStore(_dataSource);
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
