namespace Waba.Gateway.Sandbox.Page;

/// <summary>Something that happened in a chat: an event (a message, a status) that became due.</summary>
public sealed record ChatChange(string EventId, string WaId);

/// <summary>
/// What the sandbox page reads beyond the channel API and the conversations (what changed) and the controls it offers over
/// simulated time.
/// </summary>
public interface ISandboxPageStore
{
    /// <summary>Message events of the number that became due in (<paramref name="after"/>, <paramref name="until"/>].</summary>
    Task<IReadOnlyList<ChatChange>> ListChangesAsync(string channelId, DateTimeOffset after, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Moves every message of the chat back by <paramref name="by"/> (the customer-service window follows). Returns how many moved.</summary>
    Task<int> RewindChatAsync(string channelId, string waId, TimeSpan by, CancellationToken cancellationToken);

    /// <summary>Ends every template review of the WABA still under way, now: its outcome holds and its status event is due.</summary>
    Task<int> EndTemplateReviewsAsync(string wabaId, DateTimeOffset now, CancellationToken cancellationToken);
}
