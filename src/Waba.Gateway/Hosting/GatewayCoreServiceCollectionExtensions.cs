using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Waba.Gateway.Admin;
using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;

namespace Microsoft.Extensions.DependencyInjection;

public static class GatewayCoreServiceCollectionExtensions
{
    /// <summary>Adds the clock, tenancy, the messaging core, the upstream registry and the admin API's options.</summary>
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidation>();
        services.AddSingleton<AdminAuthorization>();
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<UpstreamRegistry>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton<Waba.Gateway.Blocking.BlockList>();
        services.AddSingleton<Waba.Gateway.Sandbox.UserDirectory>();
        services.AddSingleton<Waba.Gateway.Templates.TemplateReview>();
        services.AddSingleton<Waba.Gateway.Numbers.NumberInfo>();
        services.AddSingleton<Waba.Gateway.Numbers.NumberManagement>();
        services.AddProblemDetails();
        return services;
    }
}
