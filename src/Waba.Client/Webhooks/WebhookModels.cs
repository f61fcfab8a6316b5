using System.Text.Json;
using System.Text.Json.Serialization;
using Waba.Client.Messages;

namespace Waba.Client.Webhooks;

/// <summary>Meta's Cloud API webhook body: <c>{"object": "whatsapp_business_account", "entry": [{"id", "changes": [...]}]}</c>.</summary>
public sealed record CloudWebhookPayload([property: JsonPropertyName("object")] string? ObjectType, IReadOnlyList<CloudWebhookEntry>? Entry);

/// <param name="Id">The WABA id.</param>
public sealed record CloudWebhookEntry(string? Id, IReadOnlyList<CloudWebhookChange>? Changes);

/// <summary>One change: <see cref="Field"/> is "messages" for messages and statuses, or another subscription field.</summary>
public sealed record CloudWebhookChange(string? Field, CloudWebhookValue? Value);

public sealed record CloudWebhookValue
{
    public string? MessagingProduct { get; init; }
    public WebhookMetadata? Metadata { get; init; }
    public IReadOnlyList<WebhookContact>? Contacts { get; init; }
    public IReadOnlyList<InboundMessage>? Messages { get; init; }
    public IReadOnlyList<MessageStatus>? Statuses { get; init; }
    public IReadOnlyList<WebhookError>? Errors { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed record WebhookMetadata(string? DisplayPhoneNumber, string? PhoneNumberId);

/// <summary>The On-Premise webhook body: contacts with messages, or statuses, or errors, at the top level.</summary>
public sealed record OnPremiseWebhookPayload
{
    public IReadOnlyList<WebhookContact>? Contacts { get; init; }
    public IReadOnlyList<InboundMessage>? Messages { get; init; }
    public IReadOnlyList<MessageStatus>? Statuses { get; init; }
    public IReadOnlyList<WebhookError>? Errors { get; init; }
}

/// <summary>Who wrote: their profile name and username, phone-based <see cref="WaId"/> (when visible) and business-scoped <see cref="UserId"/>.</summary>
public sealed record WebhookContact(WebhookProfile? Profile, string? WaId, string? UserId);

public sealed record WebhookProfile(string? Name, string? Username);

/// <summary>A message a user sent to the business.</summary>
public sealed record InboundMessage
{
    public string Id { get; init; } = string.Empty;

    private readonly string? _from;

    /// <summary>
    /// Who wrote, as an address to answer: their phone number, or their business-scoped user id (<see cref="FromUserId"/>)
    /// when they hide it (Cloud payloads then carry no <c>from</c>; On-Premise ones carry the BSUID in it). Passing it
    /// to <see cref="Message"/>'s builders answers them in every dialect.
    /// </summary>
    public string? From { get => _from ?? FromUserId; init => _from = value; }

    /// <summary>The sender's business-scoped user id (always present since WhatsApp introduced BSUIDs).</summary>
    public string? FromUserId { get; init; }

    /// <summary>The sender's phone number, when the business may see it; null for a user who hides it.</summary>
    [JsonIgnore]
    public string? FromPhoneNumber => _from is { } from && !WhatsAppUserId.IsBusinessScoped(from) ? from : null;

    /// <summary>Unix seconds, as WhatsApp writes them.</summary>
    public string? Timestamp { get; init; }

    public string Type { get; init; } = string.Empty;
    public InboundText? Text { get; init; }
    public InboundMedia? Image { get; init; }
    public InboundMedia? Video { get; init; }
    public InboundMedia? Audio { get; init; }
    public InboundMedia? Document { get; init; }
    public InboundMedia? Sticker { get; init; }
    public LocationContent? Location { get; init; }
    public IReadOnlyList<Contact>? Contacts { get; init; }

    /// <summary>A template quick-reply tap: its text and payload.</summary>
    public InboundButton? Button { get; init; }

    /// <summary>A reply-button or list-row tap, or a flow's answer.</summary>
    public InboundInteractive? Interactive { get; init; }

    public InboundReaction? Reaction { get; init; }
    public InboundContext? Context { get; init; }
    public IReadOnlyList<WebhookError>? Errors { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>What the user chose: a reply button's or list row's id, or a template button's payload.</summary>
    [JsonIgnore]
    public string? ChoiceId => Interactive?.ButtonReply?.Id ?? Interactive?.ListReply?.Id ?? Button?.Payload;

    /// <summary>The message's text as a person reads it: a text's body, a caption, a choice's title.</summary>
    [JsonIgnore]
    public string? DisplayText => Text?.Body ?? Interactive?.ButtonReply?.Title ?? Interactive?.ListReply?.Title ?? Button?.Text
        ?? (Image ?? Video ?? Document)?.Caption ?? Reaction?.Emoji;
}

public sealed record InboundText(string Body);

public sealed record InboundMedia(string Id)
{
    public string? MimeType { get; init; }
    public string? Sha256 { get; init; }
    public string? Caption { get; init; }
    public string? Filename { get; init; }
}

public sealed record InboundButton(string? Text, string? Payload);

public sealed record InboundInteractive(string Type)
{
    public InboundChoice? ButtonReply { get; init; }
    public InboundChoice? ListReply { get; init; }
    public JsonElement? NfmReply { get; init; }
}

public sealed record InboundChoice(string Id, string Title, string? Description = null);

public sealed record InboundReaction(string MessageId, string? Emoji);

/// <param name="Id">The message this one answers.</param>
public sealed record InboundContext(string? From, string? Id);

/// <summary>What happened to a message the business sent: sent, delivered, read or failed (with <see cref="Errors"/>).</summary>
public sealed record MessageStatus
{
    public string Id { get; init; } = string.Empty;
    public string Status { get; init; } = string.Empty;
    public string? Timestamp { get; init; }
    public string? RecipientId { get; init; }
    public string? RecipientUserId { get; init; }
    public string? BizOpaqueCallbackData { get; init; }
    public IReadOnlyList<WebhookError>? Errors { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One of WhatsApp's errors in a webhook: the code, its title, and details where given.</summary>
public sealed record WebhookError(int Code, string? Title)
{
    public string? Message { get; init; }
    public WebhookErrorData? ErrorData { get; init; }
    public string? Details { get; init; }
    public string? Href { get; init; }
}

public sealed record WebhookErrorData(string? Details);
