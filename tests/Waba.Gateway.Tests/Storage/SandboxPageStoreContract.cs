using Waba.Gateway.Messaging;
using Waba.Gateway.Sandbox.Page;
using Waba.Gateway.Storage;
using Waba.Gateway.Templates;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What the sandbox page's store must do on every engine: changes, and the time controls.</summary>
public abstract class SandboxPageStoreContract(StorageEngine engine) : StorageContract(engine)
{
    private const string Alice = "4915100000001";
    private const string Bob = "4915100000002";
    private static readonly string[] Statuses = ["sent", "delivered", "read"];


    private IWebhookOutbox Outbox => Get<IWebhookOutbox>();
    private IMessageStore Messages => Get<IMessageStore>();
    private ISandboxPageStore Pages => Get<ISandboxPageStore>();
    private ITemplateStore Templates => Get<ITemplateStore>();

    /// <summary>A message and its events: the inbound message event, or sent/delivered/read statuses at +1, +2, +3 s.</summary>
    private async Task<StoredMessage> MessageAsync(Channel channel, string waId, MessageDirection direction, DateTimeOffset at)
    {
        var message = new StoredMessage(Identifiers.NewMessageId(), channel.Id, direction, waId, "text", """{"text":{"body":"hi"}}""", at);
        IReadOnlyList<NewWebhookEvent> events = direction == MessageDirection.Inbound
            ? [new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "message.text", channel.HostingType, "{}", at, message.Id)]
            : [.. Statuses.Select((status, i) => new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id,
                "status." + status, channel.HostingType, $$"""{"statuses":[{"status":"{{status}}"}]}""", at.AddSeconds(i + 1), message.Id))];
        await Messages.SaveMessageAsync(message, events, Ct);
        return message;
    }

    [Fact]
    public async Task ListChanges_NamesTheChatOfEachEventThatBecameDue()
    {
        var channel = await ChannelAsync();
        var other = await ChannelAsync();
        await MessageAsync(channel, Alice, MessageDirection.Inbound, T0);
        await MessageAsync(channel, Bob, MessageDirection.Outbound, T0);
        await MessageAsync(other, Alice, MessageDirection.Inbound, T0);

        var firstSecond = await Pages.ListChangesAsync(channel.Id, T0.AddSeconds(-1), T0.AddSeconds(1), Ct);
        var later = await Pages.ListChangesAsync(channel.Id, T0.AddSeconds(1), T0.AddSeconds(10), Ct);

        Assert.Equal([Alice, Bob], firstSecond.Select(c => c.WaId).Order());
        Assert.Equal([Bob, Bob], later.Select(c => c.WaId));
        Assert.Equal(4, firstSecond.Concat(later).Select(c => c.EventId).Distinct().Count());
    }

    [Fact]
    public async Task RewindChat_MovesOneChatBack_SoItsWindowCloses()
    {
        var channel = await ChannelAsync();
        await MessageAsync(channel, Alice, MessageDirection.Inbound, T0);
        await MessageAsync(channel, Alice, MessageDirection.Outbound, T0.AddMinutes(1));
        await MessageAsync(channel, Bob, MessageDirection.Inbound, T0);

        var moved = await Pages.RewindChatAsync(channel.Id, Alice, TimeSpan.FromHours(25), Ct);

        Assert.Equal(2, moved);
        Assert.Equal(T0.AddHours(-25), await Messages.LastInboundAsync(channel.Id, Alice, Ct));
        Assert.Equal(T0, await Messages.LastInboundAsync(channel.Id, Bob, Ct));
        Assert.Equal([T0.AddHours(-25), T0.AddHours(-25).AddMinutes(1)], (await Messages.ListConversationAsync(channel.Id, Alice, 10, Ct)).Select(m => m.CreatedAt));
    }

    [Fact]
    public async Task EndTemplateReviews_DecidesNow_AndMakesTheStatusEventDue()
    {
        var channel = await ChannelAsync();
        var template = new MessageTemplate(channel.WabaId, "order_update", "en", "UTILITY", """[{"type":"BODY","text":"Hi"}]""", T0, T0.AddHours(1));
        var decided = new MessageTemplate(channel.WabaId, "welcome", "en", "UTILITY", """[{"type":"BODY","text":"Hi"}]""", T0, T0.AddMinutes(-1));
        var review = new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "template.approved", HostingType.Cloud, "{}", template.ApprovedAt, null);
        await Templates.CreateTemplateAsync(template, [review], Ct);
        await Templates.CreateTemplateAsync(decided, [], Ct);
        Assert.Equal(T0.AddHours(1), await Outbox.NextDueAsync(Ct));

        var ended = await Pages.EndTemplateReviewsAsync(channel.WabaId, T0, Ct);

        Assert.Equal(1, ended);
        Assert.Equal("approved", (await Templates.FindTemplateAsync(channel.WabaId, "order_update", "en", Ct))!.StatusAt(T0));
        Assert.Equal(T0.AddMinutes(-1), (await Templates.FindTemplateAsync(channel.WabaId, "welcome", "en", Ct))!.ApprovedAt);
        var due = await Outbox.ClaimDueAsync("worker", T0, TimeSpan.FromSeconds(30), 10, Ct);
        Assert.Equal(review.Id, Assert.Single(due).EventId);
        Assert.Equal(0, await Pages.EndTemplateReviewsAsync(channel.WabaId, T0, Ct));
    }
}

public sealed class SqliteSandboxPageStoreTests() : SandboxPageStoreContract(new SqliteEngine());

public sealed class PostgresSandboxPageStoreTests() : SandboxPageStoreContract(new PostgresEngine());
