using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Gateway.Admin;

public sealed record CreateWabaRequest(string? Name);

public sealed record WabaView(string Id, string Name, DateTimeOffset CreatedAt);

/// <param name="MetaPhoneNumberId">For <c>"upstream": "meta"</c>: the number's id at Meta (becomes its phone_number_id).</param>
/// <param name="AccessToken">For <c>meta</c>: a system-user token; stored encrypted, never returned.</param>
public sealed record CreatePhoneNumberRequest(string? PhoneNumber, string? HostingType, string? Upstream,
    string? MetaPhoneNumberId = null, string? MetaWabaId = null, string? AccessToken = null);

/// <param name="Registered">False after a Graph <c>/deregister</c> of a sandbox number, until it is registered again.</param>
/// <param name="State">The latest facts WhatsApp reported about the number and its WABA (shown for one number, not in lists).</param>
public sealed record PhoneNumberView(string Id, string PhoneNumberId, string WabaId, string PhoneNumber, string HostingType, string Upstream, DateTimeOffset CreatedAt,
    bool Registered = true, AccountStateView? State = null);

/// <summary>
/// What WhatsApp last reported (account-level webhooks, number info): for the number (<c>quality_rating</c>,
/// <c>quality_event</c>, <c>messaging_limit_tier</c>, <c>name_status</c>, …) and its WABA (<c>restrictions</c>,
/// <c>ban_state</c>, <c>account_review_status</c>, …), each object also holding the last change of every webhook field
/// under the field's name, and when it was updated.
/// </summary>
public sealed record AccountStateView(JsonElement? Number, JsonElement? Waba);

public sealed record ApiKeyCreatedView(string Id, string ApiKey, string PhoneNumberId);

public sealed record AttemptView(int Number, DateTimeOffset StartedAt, string? Url, int? StatusCode, double LatencyMs, bool Succeeded, bool Slow, string? Error, string? ResponseExcerpt);

public sealed record MigrateRequest(string? HostingType);

public sealed record UpdateWabaRequest(string? Name);

/// <param name="AccessToken">For a <c>meta</c> number: a new system-user token (rotated or renewed); stored encrypted, never returned.</param>
public sealed record UpdatePhoneNumberRequest(string? Upstream, string? AccessToken = null, string? MetaWabaId = null);

public sealed record WabaPage(IReadOnlyList<WabaView> Data, string? NextCursor);

public sealed record PhoneNumberPage(IReadOnlyList<PhoneNumberView> Data, string? NextCursor);

public sealed record ApiKeyView(string Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Data);

/// <param name="Scope"><c>phone_number</c> (the number's own) or <c>waba</c>.</param>
/// <param name="SecretHint">Which secret signs the events (<c>whsec_</c> and four characters): compare it with your receiver's.</param>
/// <param name="SetWith">The call that sets this webhook: <c>POST /v1/configs/webhook</c> or <c>POST /waba_webhook</c>.</param>
public sealed record EffectiveWebhookView(string Scope, string Url, IReadOnlyList<string> HeaderNames, DateTimeOffset UpdatedAt, bool SecretRotating,
    string? SecretHint = null, string? SetWith = null);

public sealed record ReplayRequest(string? NumberId, DateTimeOffset? From, DateTimeOffset? To);

public sealed record ReplayResult(int Replayed);

public sealed record WebhookTestResult(string Url, string EventId, int? StatusCode, double LatencyMs, bool Succeeded, bool Slow, string? Error, string? ResponseExcerpt);

public sealed record DeliveryView(
    string EventId,
    string NumberId,
    string Kind,
    string? MessageId,
    string State,
    DateTimeOffset OccurredAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<AttemptView> Attempts,
    JsonElement Payload);

public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Data, string? NextCursor);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateWabaRequest))]
[JsonSerializable(typeof(WabaView))]
[JsonSerializable(typeof(CreatePhoneNumberRequest))]
[JsonSerializable(typeof(PhoneNumberView))]
[JsonSerializable(typeof(ApiKeyCreatedView))]
[JsonSerializable(typeof(DeliveryView))]
[JsonSerializable(typeof(DeliveryPage))]
[JsonSerializable(typeof(MigrateRequest))]
[JsonSerializable(typeof(UpdateWabaRequest))]
[JsonSerializable(typeof(UpdatePhoneNumberRequest))]
[JsonSerializable(typeof(WabaPage))]
[JsonSerializable(typeof(PhoneNumberPage))]
[JsonSerializable(typeof(ApiKeyList))]
[JsonSerializable(typeof(EffectiveWebhookView))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(ReplayResult))]
[JsonSerializable(typeof(WebhookTestResult))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
