using System.Text.Json;

namespace Waba.Client.Gateway;

public sealed record GatewayWaba(string Id, string Name, DateTimeOffset CreatedAt);

/// <param name="Id">The gateway's id of the number (admin API paths).</param>
/// <param name="PhoneNumberId">The id WhatsApp APIs name the number by (Graph paths, webhooks).</param>
public sealed record GatewayNumber(string Id, string PhoneNumberId, string WabaId, string PhoneNumber, string HostingType, string Upstream, DateTimeOffset CreatedAt);

/// <summary>One page of a list; pass <see cref="NextCursor"/> back for the next.</summary>
public sealed record GatewayPage<T>(IReadOnlyList<T> Data, string? NextCursor);

/// <summary>A new API key: <see cref="ApiKey"/> is shown this once and stored hashed.</summary>
public sealed record GatewayApiKeyCreated(string Id, string ApiKey, string PhoneNumberId);

public sealed record GatewayApiKey(string Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record GatewayApiKeyList(IReadOnlyList<GatewayApiKey> Data);

/// <summary>Where a number's events go now: <see cref="Scope"/> is "number" or "waba".</summary>
public sealed record GatewayEffectiveWebhook(string Scope, string Url, IReadOnlyList<string> HeaderNames, DateTimeOffset UpdatedAt, bool SecretRotating);

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
/// user can tap.
/// </summary>
public sealed record SandboxPhoneMessage(string Id, string Direction, string Type, DateTimeOffset Timestamp, string Text, IReadOnlyList<string>? Buttons,
    JsonElement? Content);

internal sealed record SandboxAccepted(IReadOnlyList<SandboxAcceptedMessage>? Messages);

internal sealed record SandboxAcceptedMessage(string Id);
