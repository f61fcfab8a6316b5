using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.UrlPolicy;

namespace Microsoft.Extensions.DependencyInjection;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Adds durable webhook delivery: the retry schedule, the HTTP sender and the background worker.</summary>
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebhooksOptions>().Bind(configuration.GetSection(WebhooksOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhooksOptions>, WebhooksOptionsValidation>();
        services.AddSingleton<RetrySchedule>();
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<EndpointHealth>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton<WebhookUrlPolicy>();
        services.AddSingleton<GuardedConnector>();
        services.AddSingleton<WebhookSettings>();
        services.AddHttpClient(WebhookSender.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout
                client.DefaultRequestHeaders.UserAgent.ParseAdd("WabaGateway/0.1");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<GuardedConnector>().ConnectAsync,
                AllowAutoRedirect = false, // a redirect is not a 200
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            // Every attempt is in the delivery log and the metrics already; the factory's per-request log lines and
            // scopes would cost each attempt for lines filtered out at the shipped level.
            .RemoveAllLoggers();
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
