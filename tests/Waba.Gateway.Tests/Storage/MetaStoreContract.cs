using System.Text.Json.Nodes;
using Waba.Gateway.Messaging;
using Waba.Gateway.Meta;
using Waba.Gateway.Numbers;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every engine's store of the <c>meta</c> upstream must do.</summary>
public abstract class MetaStoreContract(StorageEngine engine) : StorageContract(engine)
{
    private IMetaStore Meta => Get<IMetaStore>();

    private static MetaInbound Inbound(string id, bool routed, IReadOnlyList<StoredMessage>? messages = null, IReadOnlyList<NewWebhookEvent>? events = null,
        IReadOnlyList<AccountStatePatch>? states = null, IReadOnlyList<string>? seen = null) =>
        new(id, """{"object":"whatsapp_business_account"}""", T0, routed, messages ?? [], events ?? [], states ?? [], seen ?? []);

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
    public async Task ChannelsOfMetaWaba_AreTheNumbersWithThatWabaAtMeta_RemovedOnesLeftOut()
    {
        var first = await ChannelAsync();
        var second = await ChannelAsync(wabaId: first.WabaId);
        var removed = await ChannelAsync();
        var elsewhere = await ChannelAsync();
        foreach (var channel in new[] { first, second, removed })
        {
            await Meta.SaveMetaCredentialsAsync(channel.Id, "102290129340398", [1], Ct);
        }
        await Meta.SaveMetaCredentialsAsync(elsewhere.Id, "999", [1], Ct);
        await Get<ITenantStore>().RemoveChannelAsync(removed.Id, T0, Ct);

        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal),
            (await Meta.ListChannelsOfMetaWabaAsync("102290129340398", Ct)).Order(StringComparer.Ordinal));
        Assert.Empty(await Meta.ListChannelsOfMetaWabaAsync("nobody", Ct));
    }

    [Fact]
    public async Task Inbound_IsKeptWithTheEventsRoutedFromIt()
    {
        var channel = await ChannelAsync();
        var routed = new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "message.text", HostingType.Cloud, """{"entry":[]}""", T0, "wamid.x");

        await Meta.SaveMetaInboundAsync(Inbound("meta_1", true, events: [routed]), Ct);
        await Meta.SaveMetaInboundAsync(Inbound("meta_2", false), Ct);

        var due = await Get<IWebhookOutbox>().ClaimDueAsync("w", T0, TimeSpan.FromMinutes(1), 10, Ct);
        Assert.Equal(routed.Id, Assert.Single(due).EventId);
        Assert.Equal("""{"entry":[]}""", due[0].Payload);
    }

    [Fact]
    public async Task InboundMessages_JoinTheConversation_AndAMessageMetaSendsAgainIsKeptOnce()
    {
        var channel = await ChannelAsync();
        var message = new StoredMessage("wamid.A", channel.Id, MessageDirection.Inbound, "16505551234", "text", """{"text":{"body":"hi"}}""", T0,
            "US.13491208655302741918");

        await Meta.SaveMetaInboundAsync(Inbound("meta_1", true, messages: [message]), Ct);
        await Meta.SaveMetaInboundAsync(Inbound("meta_2", true, messages: [message with { Body = """{"text":{"body":"again"}}""" }]), Ct);

        var messages = Get<IMessageStore>();
        var kept = await messages.FindMessageAsync(channel.Id, "wamid.A", Ct);
        Assert.Equal(MessageDirection.Inbound, kept!.Direction);
        Assert.Equal("""{"text":{"body":"hi"}}""", kept.Body);
        Assert.Equal("US.13491208655302741918", kept.UserId);
        Assert.Single(await messages.ListConversationAsync(channel.Id, "16505551234", 10, Ct));
        Assert.Equal("16505551234", await messages.FindCounterpartAsync(channel.Id, "US.13491208655302741918", Ct));
        Assert.Equal(T0, await messages.LastInboundAsync(channel.Id, "16505551234", Ct));
    }

    [Fact]
    public async Task AccountState_IsMergedMemberByMember_AndKeptPerOwner()
    {
        var channel = await ChannelAsync();
        var states = Get<IAccountStateStore>();
        await Meta.SaveMetaInboundAsync(Inbound("meta_1", true, states:
            [new AccountStatePatch(AccountStateScopes.Number, channel.Id, new JsonObject { ["messaging_limit_tier"] = "TIER_1K", ["quality_event"] = "ONBOARDING" })]), Ct);
        await states.SaveAsync([new AccountStatePatch(AccountStateScopes.Number, channel.Id, new JsonObject { ["quality_event"] = "FLAGGED" })], T0.AddMinutes(1), Ct);

        var state = await states.FindAsync(AccountStateScopes.Number, channel.Id, Ct);
        Assert.Equal("TIER_1K", state!.Body["messaging_limit_tier"]!.GetValue<string>());
        Assert.Equal("FLAGGED", state.Body["quality_event"]!.GetValue<string>());
        Assert.Equal(T0.AddMinutes(1), state.UpdatedAt);
        Assert.Null(await states.FindAsync(AccountStateScopes.Waba, channel.WabaId, Ct));
    }

    [Fact]
    public async Task WebhookLog_KeepsTheLatestOfEachKey()
    {
        var channel = await ChannelAsync();
        await Meta.SaveMetaInboundAsync(Inbound("meta_1", true, seen: [WebhookLogKeys.SignedWebhook, WebhookLogKeys.Number(channel.Id)]), Ct);
        await Meta.RecordWebhookLogAsync(WebhookLogKeys.BadSignature, T0.AddSeconds(5), "the signature did not match", Ct);
        await Meta.RecordWebhookLogAsync(WebhookLogKeys.BadSignature, T0.AddSeconds(9), "no header", Ct);

        var log = await Meta.ReadWebhookLogAsync([WebhookLogKeys.SignedWebhook, WebhookLogKeys.Number(channel.Id), WebhookLogKeys.BadSignature, WebhookLogKeys.Verified], Ct);
        Assert.Equal(T0, log[WebhookLogKeys.SignedWebhook].At);
        Assert.Equal(T0, log[WebhookLogKeys.Number(channel.Id)].At);
        Assert.Equal(new WebhookLogEntry(T0.AddSeconds(9), "no header"), log[WebhookLogKeys.BadSignature]);
        Assert.False(log.ContainsKey(WebhookLogKeys.Verified));
    }
}

public sealed class SqliteMetaStoreTests() : MetaStoreContract(new SqliteEngine());

public sealed class PostgresMetaStoreTests() : MetaStoreContract(new PostgresEngine());
