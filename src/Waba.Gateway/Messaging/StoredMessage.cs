namespace Waba.Gateway.Messaging;

public enum MessageDirection
{
    Outbound,
    Inbound,
}

/// <summary>A message as the gateway keeps it: the request body as sent, unknown fields included.</summary>
/// <param name="CounterpartWaId">
/// The user the conversation is kept under: their phone number when known, else their business-scoped user id.
/// </param>
/// <param name="UserId">The user's business-scoped user id, when known, so a conversation is found by either.</param>
public sealed record StoredMessage(
    string Id,
    string ChannelId,
    MessageDirection Direction,
    string CounterpartWaId,
    string Type,
    string Body,
    DateTimeOffset CreatedAt,
    string? UserId = null);
