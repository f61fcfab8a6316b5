namespace Waba.Client.AspNetCore;

/// <summary>How a webhook endpoint checks and queues what it receives. Read from <c>Waba:Webhook</c> configuration, then the caller's delegate.</summary>
public sealed class WabaWebhookOptions
{
    /// <summary>
    /// The signing secrets (<c>whsec_…</c> from the gateway, or Meta's app secret); during a rotation both. A request
    /// whose signature none of them produces gets 401.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>Accept requests without any signature header. Off: an unsigned request is a 401.</summary>
    public bool AllowUnsigned { get; set; }

    /// <summary>How far <c>webhook-timestamp</c> may be from now.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A delivery whose <c>webhook-id</c> came within this window is answered 200 and not handled again.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Events waiting for the handler; when full, requests get 503 and the sender retries later.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Handlers running at once.</summary>
    public int Concurrency { get; set; } = 1;

    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Meta's verification handshake: <c>GET ?hub.mode=subscribe&amp;hub.verify_token=…&amp;hub.challenge=…</c> answers the challenge when the token matches.</summary>
    public string? VerifyToken { get; set; }
}
