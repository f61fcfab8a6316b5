using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Storage;

/// <summary>
/// An engine the storage contracts run against: a fresh empty database, and the gateway's own registrations for it
/// (<c>AddGatewayStorage</c>), so a contract resolves each store exactly as the gateway does.
/// </summary>
public abstract class StorageEngine : IAsyncDisposable
{
    private ServiceProvider? _services;

    public async Task<IServiceProvider> StartAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(await CreateDatabaseAsync()).Build();
        var services = new ServiceCollection();
        services.AddGatewayStorage(configuration);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<IStorageSchema>().MigrateAsync(TestContext.Current.CancellationToken);
        return _services;
    }

    /// <summary>The <c>Storage:*</c> settings of a new, empty database.</summary>
    protected abstract Task<Dictionary<string, string?>> CreateDatabaseAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteEngine : StorageEngine
{
    protected override Task<Dictionary<string, string?>> CreateDatabaseAsync() => Task.FromResult(new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "sqlite",
        ["Storage:Sqlite:Path"] = Path.Combine(Directory.CreateTempSubdirectory("waba-store-").FullName, "store.db"),
    });
}

public sealed class PostgresEngine : StorageEngine
{
    private TestPostgres? _database;

    protected override async Task<Dictionary<string, string?>> CreateDatabaseAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        return new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:Postgres:ConnectionString"] = _database.ConnectionString };
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>What one store contract shares: its engine's services, a clock origin, and WABAs and numbers to own rows.</summary>
public abstract class StorageContract(StorageEngine engine) : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private IServiceProvider? _services;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected T Get<T>() where T : notnull => _services!.GetRequiredService<T>();

    public async ValueTask InitializeAsync() => _services = await engine.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await engine.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static Waba.Gateway.Webhooks.WebhookConfig Hook(string url, string secret = "whsec_c2VjcmV0") =>
        new(url, new Dictionary<string, string> { ["X-Test"] = "1" }, T0, secret);

    /// <summary>A new number (in a new WABA unless one is given).</summary>
    protected async Task<Channel> ChannelAsync(HostingType hosting = HostingType.Cloud, string? wabaId = null)
    {
        var store = Get<ITenantStore>();
        if (wabaId is null)
        {
            wabaId = Identifiers.NewNumeric();
            await store.CreateWabaAsync(new BusinessAccount(wabaId, "Acme", T0), Ct);
        }
        var channel = new Channel(Identifiers.NewOpaque("pn"), wabaId, Identifiers.NewNumeric(), Identifiers.NewNumeric(), hosting, "sandbox", T0);
        await store.CreateChannelAsync(channel, Ct);
        return channel;
    }
}
