using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every storage engine must do with tenants (WABAs, numbers, keys) and webhook configuration.</summary>
public abstract class TenantStoreContract(StorageEngine engine) : StorageContract(engine)
{
    protected ITenantStore Store => Get<ITenantStore>();

    private IWebhookConfigStore Webhooks => Get<IWebhookConfigStore>();

    [Fact]
    public async Task Migrate_RunTwice_KeepsData()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        await Get<IStorageSchema>().MigrateAsync(Ct);
        Assert.NotNull(await Store.FindChannelAsync(channel.Id, Ct));
        Assert.True(await Store.HasAnyWabaAsync(Ct));
    }

    [Fact]
    public async Task Tenancy_RoundTrips_AndDuplicateNumberIsRefused()
    {
        Assert.False(await Store.HasAnyWabaAsync(Ct));
        var channel = await ChannelAsync(HostingType.Cloud);
        Assert.Equal(channel, await Store.FindChannelAsync(channel.Id, Ct));
        Assert.Equal("Acme", (await Store.FindWabaAsync(channel.WabaId, Ct))!.Name);
        Assert.Null(await Store.FindChannelAsync("pn_missing", Ct));

        var key = ApiKeys.Issue();
        await Store.AddApiKeyAsync(channel.Id, key, T0, Ct);
        var found = await Store.FindApiKeyAsync(key.Prefix, Ct);
        Assert.Equal(channel, found!.Channel);
        Assert.Equal(key.Hash, found.Hash);
        Assert.Null(await Store.FindApiKeyAsync("nosuchprefix", Ct));

        await Assert.ThrowsAsync<DuplicateEntryException>(() =>
            Store.CreateChannelAsync(channel with { Id = Identifiers.NewOpaque("pn"), PhoneNumberId = Identifiers.NewNumeric() }, Ct));
    }

    [Fact]
    public async Task Webhook_UpsertsWithSecrets()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        await Webhooks.SetWebhookAsync(WebhookScope.PhoneNumber, channel.Id, Hook("http://127.0.0.1:1/a"), Ct);
        var rotated = new WebhookConfig("http://127.0.0.1:1/b", new Dictionary<string, string>(), T0.AddMinutes(1), "whsec_bmV3", "whsec_b2xk", T0.AddHours(1));
        await Webhooks.SetWebhookAsync(WebhookScope.PhoneNumber, channel.Id, rotated, Ct);

        var found = await Webhooks.FindWebhookAsync(WebhookScope.PhoneNumber, channel.Id, Ct);
        Assert.Equal(rotated.Url, found!.Url);
        Assert.Equal(["whsec_bmV3", "whsec_b2xk"], found.SecretsAt(T0));
        Assert.Equal(["whsec_bmV3"], found.SecretsAt(T0.AddHours(2)));
        Assert.Null(await Webhooks.FindWebhookAsync(WebhookScope.Waba, channel.WabaId, Ct));
    }

    [Fact]
    public async Task MigrateToCloud_FirstMoveMakesNumberWebhookTheWabaWebhook_LaterMovesDoNot()
    {
        var a = await ChannelAsync(HostingType.OnPremise);
        var b = await ChannelAsync(HostingType.OnPremise, a.WabaId);
        await Webhooks.SetWebhookAsync(WebhookScope.PhoneNumber, a.Id, Hook("http://127.0.0.1:1/a"), Ct);
        await Webhooks.SetWebhookAsync(WebhookScope.PhoneNumber, b.Id, Hook("http://127.0.0.1:1/b"), Ct);

        Assert.Equal(HostingType.Cloud, (await Store.MigrateToCloudAsync(a.Id, T0, Ct))!.HostingType);
        Assert.Equal("http://127.0.0.1:1/a", (await Webhooks.FindWebhookAsync(WebhookScope.Waba, a.WabaId, Ct))!.Url);
        Assert.Null(await Webhooks.FindWebhookAsync(WebhookScope.PhoneNumber, a.Id, Ct));

        await Store.MigrateToCloudAsync(b.Id, T0, Ct);
        Assert.Equal("http://127.0.0.1:1/a", (await Webhooks.FindWebhookAsync(WebhookScope.Waba, a.WabaId, Ct))!.Url);
        Assert.Equal(HostingType.Cloud, (await Store.FindChannelAsync(b.Id, Ct))!.HostingType);
        Assert.Null(await Store.MigrateToCloudAsync("pn_missing", T0, Ct));
    }

}
