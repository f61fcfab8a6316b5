using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Gateway.Dialects;

/// <param name="MessageStatus">Template sends only: <c>accepted</c> (Meta's template pacing status).</param>
public sealed record MessageRef(string Id, string? MessageStatus = null);

public sealed record CloudContactRef(string Input, string? WaId, string? UserId = null);

public sealed record CloudSendResponse(string MessagingProduct, IReadOnlyList<CloudContactRef> Contacts, IReadOnlyList<MessageRef> Messages);

public sealed record OnPremiseMeta(string ApiStatus, string Version)
{
    public static readonly OnPremiseMeta Current = new("stable", "2.x");
}

public sealed record OnPremiseSendResponse(IReadOnlyList<MessageRef> Messages, OnPremiseMeta Meta);

public sealed record CloudErrorData(string MessagingProduct, string Details);

/// <param name="ErrorSubcode">Meta's subcode, where Meta gives one (33 for an object or edge that cannot be reached).</param>
public sealed record CloudError(string Message, string Type, int Code, CloudErrorData? ErrorData, string FbtraceId, int? ErrorSubcode = null);

public sealed record CloudErrorBody(CloudError Error);

public sealed record OnPremiseError(int Code, string Title, string Details);

public sealed record OnPremiseErrorBody(IReadOnlyList<OnPremiseError> Errors, OnPremiseMeta Meta);

/// <summary>360dialog's own error layer (camelCase, unlike WhatsApp's).</summary>
public sealed record GatewayErrorMeta(
    [property: JsonPropertyName("httpCode")] int HttpCode,
    [property: JsonPropertyName("developerMessage")] string DeveloperMessage,
    [property: JsonPropertyName("success")] bool Success);

public sealed record GatewayErrorBody(GatewayErrorMeta Meta);

/// <param name="RotateSecret">Issue a new signing secret; the old one keeps signing for <c>Webhooks:SecretRotationGrace</c>.</param>
public sealed record WebhookConfigRequest(string? Url, Dictionary<string, string>? Headers, bool? RotateSecret);

/// <param name="SigningSecret">Present only in the answer that created it.</param>
/// <param name="SecretHint">Which secret signs this webhook's events (<c>whsec_</c> and four characters), never the secret itself.</param>
public sealed record WebhookConfigResponse(string Url, IReadOnlyDictionary<string, string>? Headers, string? SigningSecret = null, string? SecretHint = null);

public sealed record AcceptedResponse(IReadOnlyList<MessageRef> Messages);

public sealed record SuccessResponse(bool Success);

public sealed record MetaOnlyResponse(OnPremiseMeta Meta);

public sealed record ContactCheckResult(string Input, string Status, string? WaId = null);

public sealed record GatewayHealth(string GatewayStatus);

public sealed record HealthResponse(GatewayHealth Health, OnPremiseMeta Meta);

public sealed record ContactsResponse(IReadOnlyList<ContactCheckResult> Contacts, OnPremiseMeta Meta);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CloudSendResponse))]
[JsonSerializable(typeof(OnPremiseSendResponse))]
[JsonSerializable(typeof(CloudErrorBody))]
[JsonSerializable(typeof(OnPremiseErrorBody))]
[JsonSerializable(typeof(GatewayErrorBody))]
[JsonSerializable(typeof(WebhookConfigRequest))]
[JsonSerializable(typeof(WebhookConfigResponse))]
[JsonSerializable(typeof(AcceptedResponse))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(MetaOnlyResponse))]
[JsonSerializable(typeof(ContactsResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class DialectJsonContext : JsonSerializerContext
{
    /// <summary>For answers: readable error details (quotes and apostrophes unescaped). Answers are not signed.</summary>
    public static DialectJsonContext Relaxed { get; } =
        new(new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
}
