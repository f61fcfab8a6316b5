using Waba.Gateway.Conversations;
using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every engine's conversation store must do: conversations by latest activity, a user's messages by phone or BSUID, paged, and statuses due.</summary>
public abstract class ConversationStoreContract(StorageEngine engine) : StorageContract(engine)
{
    private const string Alice = "4915100000001";
    private const string Bob = "4915100000002";
    private const string Hidden = "DE.13491208655302741918";
    private static readonly string[] Statuses = ["sent", "delivered", "read"];

    private IMessageStore Messages => Get<IMessageStore>();
    private IConversationStore Conversations => Get<IConversationStore>();

    /// <summary>A message and its events: the inbound message event, or sent/delivered/read statuses at +1, +2, +3 s.</summary>
    private async Task<StoredMessage> MessageAsync(Channel channel, string waId, MessageDirection direction, DateTimeOffset at, string? userId = null)
    {
        var message = new StoredMessage(Identifiers.NewMessageId(), channel.Id, direction, waId, "text", """{"text":{"body":"hi"}}""", at, userId);
        IReadOnlyList<NewWebhookEvent> events = direction == MessageDirection.Inbound
            ? [new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "message.text", channel.HostingType, "{}", at, message.Id)]
            : [.. Statuses.Select((status, i) => new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id,
                "status." + status, channel.HostingType, $$"""{"statuses":[{"status":"{{status}}"}]}""", at.AddSeconds(i + 1), message.Id))];
        await Messages.SaveMessageAsync(message, events, Ct);
        return message;
    }

    [Fact]
    public async Task ListConversations_LatestActivityFirst_WithCountsAndBsuids_Paged()
    {
        var channel = await ChannelAsync();
        var other = await ChannelAsync();
        await MessageAsync(channel, Alice, MessageDirection.Inbound, T0, "DE.111");
        await MessageAsync(channel, Bob, MessageDirection.Inbound, T0.AddMinutes(1));
        await MessageAsync(channel, Alice, MessageDirection.Outbound, T0.AddMinutes(2), "DE.111");
        await MessageAsync(channel, Hidden, MessageDirection.Inbound, T0.AddMinutes(1), Hidden);
        await MessageAsync(other, Bob, MessageDirection.Inbound, T0.AddMinutes(3));

        var all = await Conversations.ListConversationsAsync(channel.Id, null, 10, Ct);
        Assert.Equal([Alice, Bob, Hidden], all.Select(c => c.WaId));
        Assert.Equal(T0.AddMinutes(2), all[0].LastAt);
        Assert.Equal([2, 1, 1], all.Select(c => c.Messages));
        Assert.Equal("DE.111", all[0].UserId);
        Assert.Null(all[1].UserId);

        var first = await Conversations.ListConversationsAsync(channel.Id, null, 2, Ct);
        var rest = await Conversations.ListConversationsAsync(channel.Id, new PageKey(first[^1].LastAt, first[^1].WaId), 2, Ct);
        Assert.Equal([Alice, Bob], first.Select(c => c.WaId));
        Assert.Equal([Hidden], rest.Select(c => c.WaId));
    }

    [Fact]
    public async Task ListMessages_ByPhoneOrBsuid_NewestFirst_Paged()
    {
        var channel = await ChannelAsync();
        var inbound = await MessageAsync(channel, Alice, MessageDirection.Inbound, T0, "DE.111");
        var outbound = await MessageAsync(channel, Alice, MessageDirection.Outbound, T0.AddMinutes(1));
        var latest = await MessageAsync(channel, Alice, MessageDirection.Outbound, T0.AddMinutes(2), "DE.111");
        await MessageAsync(channel, Bob, MessageDirection.Inbound, T0.AddMinutes(3));

        Assert.Equal([latest.Id, outbound.Id, inbound.Id], (await Conversations.ListMessagesAsync(channel.Id, Alice, null, 10, Ct)).Select(m => m.Id));
        Assert.Equal([latest.Id, inbound.Id], (await Conversations.ListMessagesAsync(channel.Id, "DE.111", null, 10, Ct)).Select(m => m.Id));
        var page = await Conversations.ListMessagesAsync(channel.Id, Alice, null, 2, Ct);
        var older = await Conversations.ListMessagesAsync(channel.Id, Alice, new PageKey(page[^1].CreatedAt, page[^1].Id), 2, Ct);
        Assert.Equal([inbound.Id], older.Select(m => m.Id));
        Assert.Equal("DE.111", older[0].UserId);
    }

    [Fact]
    public async Task ListStatuses_OnlyThoseDueAndAsked()
    {
        var channel = await ChannelAsync();
        var first = await MessageAsync(channel, Alice, MessageDirection.Outbound, T0);
        var second = await MessageAsync(channel, Alice, MessageDirection.Outbound, T0);

        var due = await Conversations.ListStatusesAsync(channel.Id, [first.Id], T0, T0.AddSeconds(2), Ct);

        Assert.Equal(["sent", "delivered"], due.Select(s => s.Status));
        Assert.All(due, s => Assert.Equal(first.Id, s.MessageId));
        Assert.Contains("delivered", due[1].Payload, StringComparison.Ordinal);
        Assert.Equal(3, (await Conversations.ListStatusesAsync(channel.Id, [second.Id], T0, T0.AddHours(1), Ct)).Count);
        Assert.Empty(await Conversations.ListStatusesAsync(channel.Id, [], T0, T0.AddHours(1), Ct));
    }
}

public sealed class SqliteConversationStoreTests() : ConversationStoreContract(new SqliteEngine());

public sealed class PostgresConversationStoreTests() : ConversationStoreContract(new PostgresEngine());
