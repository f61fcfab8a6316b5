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

    /// <summary>The Graph API version in paths. Default <c>v21.0</c>.</summary>
    public string GraphVersion { get; set; } = "v21.0";

    /// <summary>Base64 of 32 bytes: the AES-GCM key that encrypts numbers' access tokens at rest. Required for <c>meta</c> numbers.</summary>
    public string? TokenEncryptionKey { get; set; }

    /// <summary>How long a call to Meta may take before the caller gets a 504. Default <c>20s</c>.</summary>
    public string Timeout { get; set; } = "20s";
}
