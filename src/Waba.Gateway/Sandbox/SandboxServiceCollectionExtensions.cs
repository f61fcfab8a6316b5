using Microsoft.Extensions.Options;
using Waba.Gateway.Sandbox;
using Waba.Gateway.Upstreams;

namespace Microsoft.Extensions.DependencyInjection;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>Adds the sandbox upstream and, on an empty database, its seed. Does nothing when <c>Sandbox:Enabled</c> is false.</summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SandboxOptions.Section);
        services.AddOptions<SandboxOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidation>();
        if (!section.GetValue(nameof(SandboxOptions.Enabled), true))
        {
            return services;
        }
        services.AddSingleton<SimulatedUsers>();
        services.AddSingleton<SandboxRateLimits>();
        services.AddSingleton<SimulatedInbound>();
        services.AddSingleton<Waba.Gateway.Sandbox.Page.SandboxPageAccess>();
        services.AddSingleton<IMessageUpstream, SandboxUpstream>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<SandboxSeed>(sp, Console.Out));
        return services;
    }
}
