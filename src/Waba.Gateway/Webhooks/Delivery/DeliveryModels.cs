using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>An event to deliver, with its payload already rendered in the shape its number had when it happened.</summary>
/// <param name="OccurredAt">When the event happened; it is not delivered before this time.</param>
/// <param name="ToWaba">
/// An account-level event (templates, number quality, restrictions): it goes to the WABA webhook before the number's own.
/// </param>
public sealed record NewWebhookEvent(
    string Id,
    string ChannelId,
    string Kind,
    HostingType Shape,
    string Payload,
    DateTimeOffset OccurredAt,
    string? MessageId,
    bool ToWaba = false);

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>Where an event goes right now: the number's own webhook, else (Cloud) the WABA's.</summary>
/// <param name="Secrets">The secrets that sign this attempt, the current one first.</param>
public sealed record WebhookTarget(string Url, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> Secrets);

/// <summary>A leased delivery. <see cref="Target"/> is null when no webhook is configured for the event.</summary>
public sealed record DueDelivery(
    string EventId,
    string ChannelId,
    string Payload,
    HostingType Shape,
    DateTimeOffset OccurredAt,
    int AttemptsSoFar,
    WebhookTarget? Target)
{
    /// <summary>When the retry window opened: the event's time, or its last replay.</summary>
    public DateTimeOffset WindowStart { get; init; } = OccurredAt;

    /// <summary>Attempts made before the last replay; the retry schedule starts over after a replay.</summary>
    public int AttemptsBeforeReplay { get; init; }
}

/// <summary>One try to deliver an event, kept in the delivery log.</summary>
public sealed record DeliveryAttempt(
    string EventId,
    int Number,
    DateTimeOffset StartedAt,
    string? Url,
    int? StatusCode,
    TimeSpan Latency,
    string? Error,
    string? ResponseExcerpt,
    bool Succeeded,
    bool Slow = false);

public sealed record DeliveryOutcome(DeliveryState State, DateTimeOffset? NextAttemptAt);

/// <summary>An attempt and the state its delivery moves to.</summary>
public sealed record CompletedAttempt(DeliveryAttempt Attempt, DeliveryOutcome Outcome);

/// <summary>A leased delivery postponed to <paramref name="Until"/> without counting an attempt.</summary>
public sealed record Deferral(string EventId, DateTimeOffset Until);

public sealed record DeliveryQuery(
    string? ChannelId,
    DeliveryState? State,
    string? EventId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    string? After,
    string? User = null,
    bool NewestFirst = false);

/// <summary>A delivery-log row: the event, its state and every attempt.</summary>
public sealed record DeliveryRecord(
    string EventId,
    string ChannelId,
    string Kind,
    string? MessageId,
    DeliveryState State,
    DateTimeOffset OccurredAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string Payload,
    IReadOnlyList<DeliveryAttempt> Attempts);
