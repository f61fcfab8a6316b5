using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Meta;

/// <summary>What the <c>meta</c> upstream keeps: each number's WABA id and sealed access token at Meta, and every webhook body Meta sent.</summary>
public interface IMetaStore
{
    /// <summary>Keeps a <c>meta</c> number's WABA id at Meta and its encrypted access token.</summary>
    Task SaveMetaCredentialsAsync(string channelId, string metaWabaId, byte[] sealedToken, CancellationToken cancellationToken);

    Task<(string MetaWabaId, byte[] SealedToken)?> FindMetaCredentialsAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Keeps a webhook body received from Meta exactly as it came, with the events routed from it, in one transaction.</summary>
    Task SaveMetaInboundAsync(string id, string body, DateTimeOffset receivedAt, bool routed, IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken);
}
