using Waba.Gateway.Storage;
using Waba.Gateway.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Adds the configured storage engine and migrates its schema when the host starts.</summary>
    public static IServiceCollection AddGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SqliteGatewayStore>();
        services.AddSingleton<IGatewayStore>(sp => sp.GetRequiredService<SqliteGatewayStore>());
        services.AddHostedService<StorageInitializer>();
        return services;
    }
}
