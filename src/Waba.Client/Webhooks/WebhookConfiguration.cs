namespace Waba.Client.Webhooks;

/// <summary>Where a number's (or WABA's) events go. <see cref="SigningSecret"/> comes once: when first set or rotated.</summary>
public sealed record WebhookConfiguration(string Url, IReadOnlyDictionary<string, string>? Headers, string? SigningSecret = null);

internal sealed record WebhookConfigurationRequest(string Url, IReadOnlyDictionary<string, string>? Headers, bool? RotateSecret);
