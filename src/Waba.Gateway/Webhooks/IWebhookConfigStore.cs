namespace Waba.Gateway.Webhooks;

/// <summary>Where events go: the WABA webhook (Cloud numbers) and each number's own.</summary>
public interface IWebhookConfigStore
{
    Task SetWebhookAsync(WebhookScope scope, string ownerId, WebhookConfig config, CancellationToken cancellationToken);

    Task<WebhookConfig?> FindWebhookAsync(WebhookScope scope, string ownerId, CancellationToken cancellationToken);
}
