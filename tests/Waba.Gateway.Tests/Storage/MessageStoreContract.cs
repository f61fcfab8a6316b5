using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every engine's message store must do.</summary>
public abstract class MessageStoreContract(StorageEngine engine) : StorageContract(engine)
{
    private const string User = "4915100000001";

    private IMessageStore Messages => Get<IMessageStore>();

    private async Task<StoredMessage> SaveAsync(Channel channel, MessageDirection direction, DateTimeOffset at, string waId = User)
    {
        var message = new StoredMessage(Identifiers.NewMessageId(), channel.Id, direction, waId, "text", $$$"""{"text":{"body":"{{{at:HH:mm}}}"}}""", at);
        await Messages.SaveMessageAsync(message,
            [new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "message.text", channel.HostingType, "{}", at, message.Id)], Ct);
        return message;
    }

    [Fact]
    public async Task Message_IsFoundByItsOwnNumber_WithItsEvent()
    {
        var channel = await ChannelAsync();
        var other = await ChannelAsync();
        var message = await SaveAsync(channel, MessageDirection.Outbound, T0);

        Assert.Equal(message, await Messages.FindMessageAsync(channel.Id, message.Id, Ct));
        Assert.Null(await Messages.FindMessageAsync(other.Id, message.Id, Ct));
        var due = await Get<IWebhookOutbox>().ClaimDueAsync("w", T0, TimeSpan.FromMinutes(1), 10, Ct);
        Assert.Equal(channel.Id, Assert.Single(due).ChannelId);
    }

    [Fact]
    public async Task Conversation_IsTheLatestMessagesOldestFirst_AndTheWindowStartsAtTheLastInbound()
    {
        var channel = await ChannelAsync();
        for (var i = 0; i < 5; i++)
        {
            await SaveAsync(channel, i % 2 == 0 ? MessageDirection.Inbound : MessageDirection.Outbound, T0.AddMinutes(i));
        }
        await SaveAsync(channel, MessageDirection.Inbound, T0.AddMinutes(10), "4915100000002");

        var latest = await Messages.ListConversationAsync(channel.Id, User, 3, Ct);

        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(3), T0.AddMinutes(4)], latest.Select(m => m.CreatedAt));
        Assert.Equal(T0.AddMinutes(4), await Messages.LastInboundAsync(channel.Id, User, Ct));
        Assert.Null(await Messages.LastInboundAsync(channel.Id, "4915100000003", Ct));
    }

    [Fact]
    public async Task Events_WithoutAMessage_AreStoredTogether()
    {
        var channel = await ChannelAsync();
        var events = Enumerable.Range(0, 3)
            .Select(i => new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "user_id_update", channel.HostingType, "{}", T0.AddSeconds(i), null))
            .ToList();

        await Messages.SaveEventsAsync(events, Ct);

        var due = await Get<IWebhookOutbox>().ClaimDueAsync("w", T0.AddMinutes(1), TimeSpan.FromMinutes(1), 10, Ct);
        Assert.Equal(events.Select(e => e.Id).Order(), due.Select(d => d.EventId).Order());
    }
}

public sealed class SqliteMessageStoreTests() : MessageStoreContract(new SqliteEngine());

public sealed class PostgresMessageStoreTests() : MessageStoreContract(new PostgresEngine());
