using Waba.Gateway.Messaging;
using Waba.Gateway.Numbers;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Meta;

/// <summary>
/// One webhook body from Meta and everything routed from it, kept in one transaction: the raw body, the inbound messages
/// (a message Meta sends again is kept once), the events for the customer's webhooks, the account state it reports, and
/// the webhook log entries it refreshes (<see cref="Seen"/>, stamped with <see cref="ReceivedAt"/>).
/// </summary>
public sealed record MetaInbound(
    string Id,
    string Body,
    DateTimeOffset ReceivedAt,
    bool Routed,
    IReadOnlyList<StoredMessage> Messages,
    IReadOnlyList<NewWebhookEvent> Events,
    IReadOnlyList<AccountStatePatch> States,
    IReadOnlyList<string> Seen);

/// <summary>An entry of the Meta webhook log: when something last happened, and what.</summary>
public sealed record WebhookLogEntry(DateTimeOffset At, string? Detail);

/// <summary>
/// What the <c>meta</c> upstream keeps: each number's WABA id at Meta and sealed access token, every webhook body Meta
/// sent, and a small log of what Meta's webhooks last did (for <c>waba doctor</c>).
/// </summary>
public interface IMetaStore
{
    /// <summary>Keeps a <c>meta</c> number's WABA id at Meta and its encrypted access token.</summary>
    Task SaveMetaCredentialsAsync(string channelId, string metaWabaId, byte[] sealedToken, CancellationToken cancellationToken);

    Task<(string MetaWabaId, byte[] SealedToken)?> FindMetaCredentialsAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>The gateway numbers (ids) whose WABA at Meta is <paramref name="metaWabaId"/>, removed ones left out.</summary>
    Task<IReadOnlyList<string>> ListChannelsOfMetaWabaAsync(string metaWabaId, CancellationToken cancellationToken);

    /// <summary>Keeps a webhook body received from Meta and what was routed from it, in one transaction.</summary>
    Task SaveMetaInboundAsync(MetaInbound inbound, CancellationToken cancellationToken);

    /// <summary>Notes that <paramref name="key"/> happened at <paramref name="at"/> (a refused signature, a verification handshake).</summary>
    Task RecordWebhookLogAsync(string key, DateTimeOffset at, string? detail, CancellationToken cancellationToken);

    /// <summary>The log entries for these keys; keys never recorded are absent.</summary>
    Task<IReadOnlyDictionary<string, WebhookLogEntry>> ReadWebhookLogAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}

/// <summary>The keys of the Meta webhook log.</summary>
public static class WebhookLogKeys
{
    /// <summary>A webhook whose signature the app secret verified.</summary>
    public const string SignedWebhook = "signed";

    /// <summary>A webhook refused for its signature.</summary>
    public const string BadSignature = "bad_signature";

    /// <summary>A verification handshake answered (the verify token matched).</summary>
    public const string Verified = "verified";

    /// <summary>A verification handshake refused (another verify token).</summary>
    public const string VerifyRefused = "verify_refused";

    public static string Number(string channelId) => "number:" + channelId;

    public static string Waba(string wabaId) => "waba:" + wabaId;
}
