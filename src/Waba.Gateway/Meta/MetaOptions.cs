namespace Waba.Gateway.Meta;

/// <summary>Meta's Cloud API as an upstream and as a webhook source. Section <c>Meta</c>.</summary>
public sealed class MetaOptions
{
    public const string Section = "Meta";

    /// <summary>The Meta app's secret; signs the webhooks Meta sends to <c>/meta/webhook</c>. Without it that endpoint is off (404).</summary>
    public string? AppSecret { get; set; }

    /// <summary>The token entered in Meta's app dashboard for the webhook verification handshake.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>Where the Graph API is. Default <c>https://graph.facebook.com</c>; tests point it at a local fake.</summary>
    public string BaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>
    /// The Graph API version of the gateway's calls to Meta. Default <c>v26.0</c> (current in late 2026, available until
    /// about two years after its release); pin another here. Callers of the Graph dialect may name any version.
    /// </summary>
    public string GraphVersion { get; set; } = "v26.0";

    /// <summary>
    /// The gateway's public base URL as customers and Meta reach it (<c>https://wa.example.com</c>): the base of the media
    /// URLs in webhooks, and what <c>waba doctor</c> expects Meta's callback URL to start with. Default: the scheme and
    /// host of the request Meta's webhook arrived on.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Base64 of 32 bytes: the AES-GCM key that encrypts numbers' access tokens at rest. Required for <c>meta</c> numbers.</summary>
    public string? TokenEncryptionKey { get; set; }

    /// <summary>How long a call to Meta may take before the caller gets a 504. Default <c>20s</c>.</summary>
    public string Timeout { get; set; } = "20s";
}
