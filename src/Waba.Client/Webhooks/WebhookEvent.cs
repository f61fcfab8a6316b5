using System.Globalization;
using System.Text.Json;

namespace Waba.Client.Webhooks;

public enum WebhookEventKind
{
    /// <summary>A user wrote: <see cref="WebhookEvent.Message"/>.</summary>
    Message,

    /// <summary>A sent message changed state: <see cref="WebhookEvent.Status"/>.</summary>
    Status,

    /// <summary>WhatsApp reports a problem that belongs to no message: <see cref="WebhookEvent.Error"/>.</summary>
    Error,

    /// <summary>Any other notification (template review, user id update, …): <see cref="WebhookEvent.Field"/> and <see cref="WebhookEvent.Value"/>.</summary>
    Other,
}

/// <summary>
/// One thing a webhook told, whichever shape carried it (Meta's Cloud payload or the On-Premise one): a message, a
/// status, an error, or another notification. A payload can carry several; <see cref="WebhookPayload.Parse(ReadOnlySpan{byte})"/> lists them all.
/// </summary>
public sealed record WebhookEvent(WebhookEventKind Kind)
{
    public InboundMessage? Message { get; init; }
    public MessageStatus? Status { get; init; }
    public WebhookError? Error { get; init; }

    /// <summary>The sender of <see cref="Message"/> (or the recipient of <see cref="Status"/>, where the payload names one).</summary>
    public WebhookContact? Contact { get; init; }

    /// <summary>Cloud payloads: the number that received the message or sent the one the status is about.</summary>
    public string? PhoneNumberId { get; init; }

    public string? DisplayPhoneNumber { get; init; }

    /// <summary>Cloud payloads: the WABA id of the entry.</summary>
    public string? WabaId { get; init; }

    /// <summary>Cloud payloads: the subscription field ("messages", "message_template_status_update", …).</summary>
    public string? Field { get; init; }

    /// <summary>For <see cref="WebhookEventKind.Other"/>: the change's value as it came.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>When it happened, from the message's or status's timestamp.</summary>
    public DateTimeOffset? Timestamp =>
        long.TryParse(Message?.Timestamp ?? Status?.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
