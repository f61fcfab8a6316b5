using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Messaging;

/// <summary>Messages sent and received, each stored with the webhook events it causes in one transaction, committed before the caller answers.</summary>
public interface IMessageStore
{
    /// <summary>A message of this number, sent or received, or null.</summary>
    Task<StoredMessage?> FindMessageAsync(string channelId, string messageId, CancellationToken cancellationToken);

    /// <summary>The latest messages between this number and one user, oldest first.</summary>
    Task<IReadOnlyList<StoredMessage>> ListConversationAsync(string channelId, string waId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Who the conversation with this business-scoped user id is kept under on this number (their phone number, when a message
    /// of theirs showed it), or null when no message names them.
    /// </summary>
    Task<string?> FindCounterpartAsync(string channelId, string userId, CancellationToken cancellationToken);

    /// <summary>When the user last wrote to this number, or null: the start of the 24-hour customer-service window.</summary>
    Task<DateTimeOffset?> LastInboundAsync(string channelId, string waId, CancellationToken cancellationToken);

    /// <summary>Stores webhook events that no stored message causes (a user's number change), in one transaction.</summary>
    Task SaveEventsAsync(IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken);

    /// <summary>Stores a message together with the webhook events it causes, in one transaction.</summary>
    Task SaveMessageAsync(StoredMessage message, IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken);
}
