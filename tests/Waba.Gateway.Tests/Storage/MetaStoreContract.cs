using Waba.Gateway.Meta;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every engine's store of the <c>meta</c> upstream must do.</summary>
public abstract class MetaStoreContract(StorageEngine engine) : StorageContract(engine)
{
    private IMetaStore Meta => Get<IMetaStore>();

    [Fact]
    public async Task Credentials_AreKeptPerNumber_AndReplacedWhenSavedAgain()
    {
        var channel = await ChannelAsync();
        var other = await ChannelAsync();

        await Meta.SaveMetaCredentialsAsync(channel.Id, "102290129340398", [1, 2, 3], Ct);
        await Meta.SaveMetaCredentialsAsync(channel.Id, "102290129340399", [4, 5], Ct);

        var kept = await Meta.FindMetaCredentialsAsync(channel.Id, Ct);
        Assert.Equal("102290129340399", kept!.Value.MetaWabaId);
        Assert.Equal([4, 5], kept.Value.SealedToken);
        Assert.Null(await Meta.FindMetaCredentialsAsync(other.Id, Ct));
    }

    [Fact]
    public async Task Inbound_IsKeptWithTheEventsRoutedFromIt()
    {
        var channel = await ChannelAsync();
        var routed = new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "message.text", HostingType.Cloud, """{"entry":[]}""", T0, "wamid.x");

        await Meta.SaveMetaInboundAsync("meta_1", """{"object":"whatsapp_business_account"}""", T0, true, [routed], Ct);
        await Meta.SaveMetaInboundAsync("meta_2", """{"object":"whatsapp_business_account","unknown":1}""", T0, false, [], Ct);

        var due = await Get<IWebhookOutbox>().ClaimDueAsync("w", T0, TimeSpan.FromMinutes(1), 10, Ct);
        Assert.Equal(routed.Id, Assert.Single(due).EventId);
        Assert.Equal("""{"entry":[]}""", due[0].Payload);
    }
}

public sealed class SqliteMetaStoreTests() : MetaStoreContract(new SqliteEngine());

public sealed class PostgresMetaStoreTests() : MetaStoreContract(new PostgresEngine());
