using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Gateway.Webhooks.Payloads;

/// <param name="Username">The user's WhatsApp username, when they have one (Cloud shape).</param>
public sealed record ContactProfile(string? Name = null, string? Username = null);

/// <summary>
/// A user in <c>contacts</c>: <c>wa_id</c> only when the business may see the phone number; <c>user_id</c> (the
/// business-scoped user id) always, since April 2026; <c>parent_user_id</c> where parent BSUIDs are enabled.
/// </summary>
public sealed record WebhookContact(ContactProfile? Profile, string? WaId, string? UserId = null, string? ParentUserId = null);

/// <summary>An inbound message; the type's own object (<c>"text": {...}</c>) travels in <see cref="Content"/>.</summary>
public sealed class InboundMessagePayload
{
    /// <summary>The user's phone number, omitted when the business may not see it.</summary>
    public string? From { get; init; }

    /// <summary>The sender's business-scoped user id (and parent), beside or instead of <see cref="From"/>.</summary>
    public string? FromUserId { get; init; }

    public string? FromParentUserId { get; init; }

    public required string Id { get; init; }
    public required string Timestamp { get; init; }
    public required string Type { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Content { get; set; }
}

public sealed record ConversationOrigin(string Type);

public sealed record Conversation(string Id, ConversationOrigin Origin);

public sealed record Pricing(bool Billable, string PricingModel, string Category);

public sealed record StatusErrorData(string Details);

public sealed record StatusErrorPayload(int Code, string Title, string? Message = null, StatusErrorData? ErrorData = null, string? Href = null);

/// <param name="RecipientUserId">The recipient's BSUID (Cloud shape; on failed statuses only for messages sent to a BSUID).</param>
/// <param name="BizOpaqueCallbackData">What the business sent with the message, echoed in every status of it (Cloud only).</param>
public sealed record StatusPayload(
    string Id,
    string Status,
    string Timestamp,
    string RecipientId,
    string? RecipientUserId = null,
    string? RecipientParentUserId = null,
    string? BizOpaqueCallbackData = null,
    Conversation? Conversation = null,
    Pricing? Pricing = null,
    IReadOnlyList<StatusErrorPayload>? Errors = null);

public sealed record CloudMetadata(string DisplayPhoneNumber, string PhoneNumberId);

public sealed record CloudChangeValue(
    string MessagingProduct,
    CloudMetadata Metadata,
    IReadOnlyList<WebhookContact>? Contacts = null,
    IReadOnlyList<InboundMessagePayload>? Messages = null,
    IReadOnlyList<StatusPayload>? Statuses = null);

public sealed record CloudChange(CloudChangeValue Value, string Field);

public sealed record CloudEntry(string Id, IReadOnlyList<CloudChange> Changes);

/// <summary>Meta's envelope, sent to Cloud numbers' webhooks.</summary>
#pragma warning disable CA1720 // "object" is the name of Meta's field.
public sealed record CloudNotification(string Object, IReadOnlyList<CloudEntry> Entry);
#pragma warning restore CA1720

/// <summary>The On-Premise shape: top-level arrays, no envelope.</summary>
public sealed record OnPremiseNotification(
    IReadOnlyList<WebhookContact>? Contacts = null,
    IReadOnlyList<InboundMessagePayload>? Messages = null,
    IReadOnlyList<StatusPayload>? Statuses = null);

// The default encoder writes every non-ASCII character as a \uXXXX escape, as Meta's bodies do.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CloudNotification))]
[JsonSerializable(typeof(OnPremiseNotification))]
internal sealed partial class PayloadJsonContext : JsonSerializerContext;
