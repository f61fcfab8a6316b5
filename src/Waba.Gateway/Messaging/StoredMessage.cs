namespace Waba.Gateway.Messaging;

public enum MessageDirection
{
    Outbound,
    Inbound,
}

/// <summary>A message as the gateway keeps it: the request body as sent, unknown fields included.</summary>
/// <param name="CounterpartWaId">The user's WhatsApp id: recipient of an outbound, sender of an inbound message.</param>
public sealed record StoredMessage(
    string Id,
    string ChannelId,
    MessageDirection Direction,
    string CounterpartWaId,
    string Type,
    string Body,
    DateTimeOffset CreatedAt);
