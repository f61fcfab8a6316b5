namespace Waba.Gateway.Webhooks;

/// <summary>Who a webhook belongs to: one phone number (On-Premise, or a Cloud override) or a whole WABA.</summary>
public enum WebhookScope
{
    PhoneNumber,
    Waba,
}

/// <summary>A receiver URL and the headers sent with every attempt.</summary>
public sealed record WebhookConfig(string Url, IReadOnlyDictionary<string, string> Headers, DateTimeOffset UpdatedAt);
