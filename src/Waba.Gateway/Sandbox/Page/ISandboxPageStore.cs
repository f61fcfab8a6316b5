namespace Waba.Gateway.Sandbox.Page;

/// <summary>A simulated user who wrote to a number or was written to, with the time of the latest message.</summary>
public sealed record ChatSummary(string WaId, DateTimeOffset LastAt, int Messages);

/// <summary>A status event of a message (<c>status.sent</c>, …), due at <paramref name="At"/>, with its webhook payload.</summary>
public sealed record MessageStatusEvent(string MessageId, string Status, DateTimeOffset At, string Payload);

/// <summary>Something that happened in a chat: an event (a message, a status) that became due.</summary>
public sealed record ChatChange(string EventId, string WaId);

/// <summary>
/// What the sandbox page reads beyond the channel API (the chats of a number, the statuses the user's phone shows,
/// what changed) and the controls it offers over simulated time.
/// </summary>
public interface ISandboxPageStore
{
    /// <summary>The number's chats, latest activity first.</summary>
    Task<IReadOnlyList<ChatSummary>> ListChatsAsync(string channelId, int limit, CancellationToken cancellationToken);

    /// <summary>The status events of these messages that are due by <paramref name="until"/>, in time order.</summary>
    Task<IReadOnlyList<MessageStatusEvent>> ListStatusesAsync(string channelId, IReadOnlyCollection<string> messageIds, DateTimeOffset since,
        DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Message events of the number that became due in (<paramref name="after"/>, <paramref name="until"/>].</summary>
    Task<IReadOnlyList<ChatChange>> ListChangesAsync(string channelId, DateTimeOffset after, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Moves every message of the chat back by <paramref name="by"/> (the customer-service window follows). Returns how many moved.</summary>
    Task<int> RewindChatAsync(string channelId, string waId, TimeSpan by, CancellationToken cancellationToken);

    /// <summary>Ends every template review of the WABA still under way, now: its outcome holds and its status event is due.</summary>
    Task<int> EndTemplateReviewsAsync(string wabaId, DateTimeOffset now, CancellationToken cancellationToken);
}
