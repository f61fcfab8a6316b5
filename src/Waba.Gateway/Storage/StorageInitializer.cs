namespace Waba.Gateway.Storage;

/// <summary>
/// Migrates the schema before anything else starts, then frees delivery leases: SQLite belongs to this one
/// process, so any lease found at start-up was held by a process that died.
/// </summary>
internal sealed class StorageInitializer(IStorageSchema store, Webhooks.Delivery.IWebhookOutbox outbox) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await outbox.ReleaseAllLeasesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
