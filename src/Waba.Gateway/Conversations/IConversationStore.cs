using Waba.Gateway.Messaging;

namespace Waba.Gateway.Conversations;

/// <summary>A user who wrote to a number or was written to: who they are, when the latest message was, how many there are.</summary>
/// <param name="WaId">Who the conversation is kept under: the user's phone number, else their business-scoped user id.</param>
/// <param name="UserId">The user's business-scoped user id, when a message named it.</param>
public sealed record ConversationSummary(string WaId, string? UserId, DateTimeOffset LastAt, int Messages);

/// <summary>A status event of a message (<c>status.sent</c>, …), due at <paramref name="At"/>, with its webhook payload.</summary>
public sealed record MessageStatusEvent(string MessageId, string Status, DateTimeOffset At, string Payload);

/// <summary>Where a page of a list ends: the sort key of its last row.</summary>
public sealed record PageKey(DateTimeOffset At, string Id);

/// <summary>
/// Every number's conversations, whichever its upstream: the users it talks with, their messages both ways, and the
/// statuses of what it sent (planned by the sandbox, or reported by Meta).
/// </summary>
public interface IConversationStore
{
    /// <summary>The number's conversations, latest activity first, after <paramref name="after"/> (the last row of the previous page).</summary>
    Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string channelId, PageKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The messages between the number and one user — named by phone number or business-scoped user id — newest first,
    /// older than <paramref name="before"/>.
    /// </summary>
    Task<IReadOnlyList<StoredMessage>> ListMessagesAsync(string channelId, string user, PageKey? before, int limit, CancellationToken cancellationToken);

    /// <summary>The status events of these messages that are due by <paramref name="until"/>, in time order.</summary>
    Task<IReadOnlyList<MessageStatusEvent>> ListStatusesAsync(string channelId, IReadOnlyCollection<string> messageIds, DateTimeOffset since,
        DateTimeOffset until, CancellationToken cancellationToken);
}
