using System.Text.Json;

namespace Waba.Client.Gateway;

public sealed record GatewayWaba(string Id, string Name, DateTimeOffset CreatedAt);

/// <param name="Id">The gateway's id of the number (admin API paths).</param>
/// <param name="PhoneNumberId">The id WhatsApp APIs name the number by (Graph paths, webhooks).</param>
/// <param name="Registered">False after a Graph <c>/deregister</c> of a sandbox number, until it is registered again.</param>
/// <param name="State">What WhatsApp last reported about the number and its WABA; only <see cref="GatewayAdminClient.GetNumberAsync"/> fills it.</param>
public sealed record GatewayNumber(string Id, string PhoneNumberId, string WabaId, string PhoneNumber, string HostingType, string Upstream, DateTimeOffset CreatedAt,
    bool Registered = true, GatewayNumberState? State = null);

/// <summary>
/// The latest facts WhatsApp reported (account-level webhooks, number info), as JSON objects: for the number
/// (<c>quality_rating</c>, <c>quality_event</c>, <c>messaging_limit_tier</c>, <c>name_status</c>, …) and its WABA
/// (<c>restrictions</c>, <c>ban_state</c>, <c>account_review_status</c>, …), each with <c>updated_at</c>; null when nothing was reported.
/// </summary>
public sealed record GatewayNumberState(JsonElement? Number, JsonElement? Waba);

/// <summary>A user a number talks with: <see cref="User"/> is their phone number, or their BSUID when the phone is hidden.</summary>
public sealed record GatewayConversation(string User, string? UserId, DateTimeOffset LastMessageAt, int Messages);

/// <summary>
/// One message of a conversation: <see cref="Direction"/> "inbound" or "outbound"; <see cref="Body"/> as kept (the send
/// request, or the message as WhatsApp delivered it); <see cref="Status"/> the latest status of an outbound message.
/// </summary>
public sealed record GatewayConversationMessage(string Id, string Direction, string Type, DateTimeOffset CreatedAt, JsonElement Body, string? Status,
    DateTimeOffset? StatusAt, GatewayMessageError? Error, string? ReplyTo);

/// <summary>Why a message failed: WhatsApp's code, title and details.</summary>
public sealed record GatewayMessageError(int Code, string Title, string? Details);

/// <summary>A page of one conversation's messages, newest first; pass <see cref="NextCursor"/> back for older ones.</summary>
public sealed record GatewayConversationPage(string User, IReadOnlyList<GatewayConversationMessage> Data, string? NextCursor);

/// <summary>
/// What <c>waba doctor</c> found for a number: each check's <see cref="GatewayDiagnosisCheck.Status"/> is ok, warning,
/// error or skipped, with what was found and what to do.
/// </summary>
public sealed record GatewayDiagnosis(string NumberId, string PhoneNumberId, string Upstream, bool Healthy, DateTimeOffset CheckedAt,
    IReadOnlyList<GatewayDiagnosisCheck> Checks);

public sealed record GatewayDiagnosisCheck(string Name, string Status, string Summary, string? Fix);

/// <summary>One page of a list; pass <see cref="NextCursor"/> back for the next.</summary>
public sealed record GatewayPage<T>(IReadOnlyList<T> Data, string? NextCursor);

/// <summary>A new API key: <see cref="ApiKey"/> is shown this once and stored hashed.</summary>
public sealed record GatewayApiKeyCreated(string Id, string ApiKey, string PhoneNumberId);

public sealed record GatewayApiKey(string Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record GatewayApiKeyList(IReadOnlyList<GatewayApiKey> Data);

/// <summary>
/// Where a number's events go now: <see cref="Scope"/> is <c>phone_number</c> (the number's own) or <c>waba</c> (the WABA
/// webhook); <see cref="SecretHint"/> names the secret that signs them (<c>whsec_</c> and four characters);
/// <see cref="SetWith"/> is the call that sets it.
/// </summary>
public sealed record GatewayEffectiveWebhook(string Scope, string Url, IReadOnlyList<string> HeaderNames, DateTimeOffset UpdatedAt, bool SecretRotating,
    string? SecretHint = null, string? SetWith = null);

public sealed record GatewayWebhookTest(string Url, string EventId, int? StatusCode, double LatencyMs, bool Succeeded, bool Slow, string? Error, string? ResponseExcerpt);

/// <summary>One webhook event of the delivery log with every attempt; <see cref="State"/> is pending, delivered or failed.</summary>
public sealed record GatewayDelivery(string EventId, string NumberId, string Kind, string? MessageId, string State, DateTimeOffset OccurredAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, IReadOnlyList<GatewayAttempt> Attempts, JsonElement Payload);

public sealed record GatewayAttempt(int Number, DateTimeOffset StartedAt, string? Url, int? StatusCode, double LatencyMs, bool Succeeded, bool Slow,
    string? Error, string? ResponseExcerpt);

public sealed record GatewayReplayResult(int Replayed);

/// <summary>Which deliveries to list: every filter is optional.</summary>
public sealed record DeliveryQuery
{
    public string? NumberId { get; init; }

    /// <summary>pending, delivered or failed.</summary>
    public string? State { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>A user's phone number or BSUID.</summary>
    public string? User { get; init; }

    public bool NewestFirst { get; init; }
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
}

/// <summary>A chat as the simulated user's phone shows it.</summary>
public sealed record SandboxChat(string WaId, IReadOnlyList<SandboxPhoneMessage> Messages);

/// <summary>
/// One message on the simulated phone: <see cref="Direction"/> is "inbound" (the user wrote) or "outbound" (the
/// business did); <see cref="Text"/> as the phone shows it (templates filled in); <see cref="Buttons"/> the titles the
/// user can tap; <see cref="Content"/> the type's object as sent; <see cref="ReplyTo"/> the message it quotes;
/// for the business's messages <see cref="Status"/> (accepted, sent, delivered, read or failed, the latest so far)
/// and, when failed, <see cref="Error"/>.
/// </summary>
public sealed record SandboxPhoneMessage(string Id, string Direction, string Type, DateTimeOffset Timestamp, string Text, IReadOnlyList<string>? Buttons,
    JsonElement? Content, string? ReplyTo = null, string? Status = null, SandboxMessageError? Error = null);

/// <summary>Why WhatsApp did not deliver a message: its code (131047, 131026 …), title and details.</summary>
public sealed record SandboxMessageError(int Code, string Title, string? Details);

/// <summary>
/// A simulated user as WhatsApp knows them: phone (<see cref="WaId"/>), business-scoped <see cref="UserId"/>,
/// <see cref="Username"/>; <see cref="HideNumber"/> when they hide their phone from businesses, so webhooks carry only
/// the BSUID (<see cref="PhoneAvailable"/> says whether this business may still see it).
/// </summary>
public sealed record GatewaySandboxUser(string WaId, string UserId, string? ParentUserId, string? Username, bool HideNumber, bool PhoneAvailable, string? ChangedTo);

internal sealed record SandboxAccepted(IReadOnlyList<SandboxAcceptedMessage>? Messages);

internal sealed record SandboxAcceptedMessage(string Id);
