using Waba.Gateway.Meta;
using Waba.Gateway.Upstreams;

namespace Microsoft.Extensions.DependencyInjection;

public static class MetaServiceCollectionExtensions
{
    /// <summary>Adds the <c>meta</c> upstream (Graph API with each number's token) and Meta's webhook settings.</summary>
    public static IServiceCollection AddMeta(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MetaOptions>().Bind(configuration.GetSection(MetaOptions.Section));
        services.AddSingleton<AccessTokenProtector>();
        services.AddSingleton<IMessageUpstream, MetaUpstream>();
        services.AddSingleton<MetaGraph>();
        services.AddSingleton<MetaWebhookRouter>();
        services.AddSingleton<MetaWebhookLog>();
        services.AddSingleton<MetaDiagnosis>();
        // No request logging: Graph URLs can carry tokens (debug_token's input_token), and tokens are never logged.
        services.AddHttpClient(MetaUpstream.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(5) })
            .RemoveAllLoggers();
        return services;
    }
}
