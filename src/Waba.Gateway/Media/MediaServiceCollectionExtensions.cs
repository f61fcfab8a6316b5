using Waba.Gateway.Media;

namespace Microsoft.Extensions.DependencyInjection;

public static class MediaServiceCollectionExtensions
{
    /// <summary>Adds media storage: files under <c>Media:Path</c>, records in the gateway's database.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section));
        services.AddSingleton<MediaFiles>();
        services.AddSingleton<MediaLibrary>();
        return services;
    }
}
