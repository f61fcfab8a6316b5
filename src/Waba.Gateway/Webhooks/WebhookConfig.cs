namespace Waba.Gateway.Webhooks;

/// <summary>Who a webhook belongs to: one phone number (On-Premise, or a Cloud override) or a whole WABA.</summary>
public enum WebhookScope
{
    PhoneNumber,
    Waba,
}

/// <summary>A receiver URL, the headers sent with every attempt, and the signing secret(s).</summary>
/// <param name="PreviousSecret">The secret before the last rotation; still signs until <paramref name="PreviousSecretExpiresAt"/>.</param>
public sealed record WebhookConfig(
    string Url,
    IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset UpdatedAt,
    string Secret,
    string? PreviousSecret = null,
    DateTimeOffset? PreviousSecretExpiresAt = null)
{
    /// <summary>The secrets that sign at <paramref name="now"/>, the current one first.</summary>
    public IReadOnlyList<string> SecretsAt(DateTimeOffset now) =>
        PreviousSecret is not null && PreviousSecretExpiresAt > now ? [Secret, PreviousSecret] : [Secret];
}
