using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Meta;

/// <summary>
/// Webhooks from Meta: <c>GET /meta/webhook</c> answers the verification handshake; <c>POST /meta/webhook</c> checks
/// <c>X-Hub-Signature-256</c> against the app secret (constant time; a bad signature is 401 and nothing is kept), keeps
/// the raw body with everything routed from it (<see cref="MetaWebhookRouter"/>), and answers 200 once it is committed.
/// Outcomes are noted in the Meta webhook log, which <c>waba doctor</c> reads.
/// </summary>
public static partial class MetaWebhookEndpoints
{
    public static IEndpointRouteBuilder MapMetaWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet("/meta/webhook", VerifyAsync).WithTags("Meta").WithSummary("Meta's verification handshake (hub.mode, hub.verify_token, hub.challenge).")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces(StatusCodes.Status403Forbidden);
        app.MapPost("/meta/webhook", ReceiveAsync).WithTags("Meta").WithSummary("Webhooks from Meta, signed with the app secret.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> VerifyAsync(HttpRequest request, IOptions<MetaOptions> options, MetaWebhookLog log)
    {
        var expected = options.Value.VerifyToken;
        var presented = request.Query["hub.verify_token"].ToString();
        if (request.Query["hub.mode"] == "subscribe" && !string.IsNullOrEmpty(expected) && SameText(presented, expected))
        {
            await log.NoteAsync(WebhookLogKeys.Verified, null, request.HttpContext.RequestAborted);
            return Results.Text(request.Query["hub.challenge"].ToString(), "text/plain");
        }
        await log.NoteAsync(WebhookLogKeys.VerifyRefused,
            string.IsNullOrEmpty(expected) ? "Meta:VerifyToken is not configured" : "the verify token did not match Meta:VerifyToken", request.HttpContext.RequestAborted);
        return Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, IOptions<MetaOptions> options, MetaWebhookRouter router, IMetaStore metaStore,
        MetaWebhookLog log, DeliverySignal signal, TimeProvider time, ILoggerFactory loggers)
    {
        if (string.IsNullOrEmpty(options.Value.AppSecret))
        {
            return Results.NotFound();
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var signature = http.Request.Headers["X-Hub-Signature-256"].ToString();
        if (!SameText(signature, Sign(options.Value.AppSecret, body)))
        {
            await log.NoteAsync(WebhookLogKeys.BadSignature, signature.Length == 0 ? "no X-Hub-Signature-256 header" : "the signature did not match Meta:AppSecret",
                http.RequestAborted);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var routed = await router.RouteAsync(body, time.GetUtcNow(), PublicBaseUrl(http, options.Value), http.RequestAborted);
        await metaStore.SaveMetaInboundAsync(routed.Inbound, http.RequestAborted);
        if (routed.Inbound.Events.Count > 0)
        {
            signal.Notify();
        }
        if (routed.Unrouted.Count > 0)
        {
            LogUnrouted(loggers.CreateLogger(typeof(MetaWebhookEndpoints)), string.Join(", ", routed.Unrouted));
        }
        return Results.Text("EVENT_RECEIVED");
    }

    /// <summary>Meta's <c>X-Hub-Signature-256</c> of a body: <c>sha256=</c> and the lower-case hex HMAC-SHA256 with the app secret.</summary>
    public static string Sign(string appSecret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>Where customers reach this gateway: <c>Meta:PublicUrl</c>, else the scheme and host Meta's request came to.</summary>
    public static string PublicBaseUrl(HttpContext http, MetaOptions options) =>
        options.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}";

    private static bool SameText(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meta webhook for unknown phone-number id(s) or WABA(s) {Ids}: kept, not routed")]
    private static partial void LogUnrouted(ILogger logger, string ids);
}

/// <summary>
/// Notes refused signatures and verification handshakes in the Meta webhook log. Anyone can send those requests, so each
/// key is written at most once per ten seconds per instance: a flood costs no database writes.
/// </summary>
public sealed class MetaWebhookLog(IMetaStore metaStore, TimeProvider time)
{
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(10);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new(StringComparer.Ordinal);

    public async Task NoteAsync(string key, string? detail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_lastWritten.TryGetValue(key, out var last) && now - last < MinimumGap)
        {
            return;
        }
        _lastWritten[key] = now;
        await metaStore.RecordWebhookLogAsync(key, now, detail, cancellationToken);
    }
}
