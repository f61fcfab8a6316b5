namespace Waba.Gateway.Meta;

/// <summary>Meta's Cloud API as an upstream and as a webhook source. Section <c>Meta</c>.</summary>
public sealed class MetaOptions
{
    public const string Section = "Meta";

    /// <summary>The Meta app's secret; signs the webhooks Meta sends to <c>/meta/webhook</c>. Without it that endpoint is off (404).</summary>
    public string? AppSecret { get; set; }

    /// <summary>The token entered in Meta's app dashboard for the webhook verification handshake.</summary>
    public string? VerifyToken { get; set; }
}
