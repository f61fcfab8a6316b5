using Microsoft.Extensions.Options;
using Waba.Gateway.Storage;
using Waba.Gateway.Storage.Sqlite;

namespace Waba.Gateway.Tests.Storage;

public sealed class SqliteGatewayStoreTests : GatewayStoreContract
{
    private SqliteGatewayStore? _store;

    protected override Task<IGatewayStore> CreateStoreAsync()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("waba-store-").FullName, "store.db");
        _store = new SqliteGatewayStore(Options.Create(new StorageOptions { Sqlite = new SqliteStorageOptions { Path = path } }));
        return Task.FromResult<IGatewayStore>(_store);
    }

    protected override ValueTask DisposeStoreAsync()
    {
        _store?.Dispose();
        return ValueTask.CompletedTask;
    }
}
