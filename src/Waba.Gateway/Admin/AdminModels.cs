using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Gateway.Admin;

public sealed record CreateWabaRequest(string? Name);

public sealed record WabaView(string Id, string Name, DateTimeOffset CreatedAt);

public sealed record CreatePhoneNumberRequest(string? PhoneNumber, string? HostingType, string? Upstream);

public sealed record PhoneNumberView(string Id, string PhoneNumberId, string WabaId, string PhoneNumber, string HostingType, string Upstream, DateTimeOffset CreatedAt);

public sealed record ApiKeyCreatedView(string Id, string ApiKey, string PhoneNumberId);

public sealed record AttemptView(int Number, DateTimeOffset StartedAt, string? Url, int? StatusCode, double LatencyMs, bool Succeeded, string? Error, string? ResponseExcerpt);

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
internal sealed partial class AdminJsonContext : JsonSerializerContext;
