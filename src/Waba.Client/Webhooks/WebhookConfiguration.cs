namespace Waba.Client.Webhooks;

/// <summary>
/// Where a number's (or WABA's) events go. <see cref="SigningSecret"/> comes once: when first set or rotated.
/// <see cref="SecretHint"/> (a gateway's answers) names the secret that signs them — <c>whsec_</c> and four characters —
/// to compare with the one your receiver holds.
/// </summary>
public sealed record WebhookConfiguration(string Url, IReadOnlyDictionary<string, string>? Headers, string? SigningSecret = null, string? SecretHint = null);

/// <summary>
/// The webhook a number's events go to now: <see cref="Scope"/> is <c>phone_number</c> (the number's own, set with
/// <c>SetWebhookAsync</c>) or <c>waba</c> (the WABA webhook every Cloud number without its own uses, set
/// with <c>SetWabaWebhookAsync</c>); its secret signs the events.
/// </summary>
public sealed record EffectiveWebhook(string Scope, WebhookConfiguration Webhook);

internal sealed record WebhookConfigurationRequest(string Url, IReadOnlyDictionary<string, string>? Headers, bool? RotateSecret);
