using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Waba.Client.Http;

namespace Waba.Client;

/// <summary>Creates the client of a named number registered with <c>AddWabaClient(name, …)</c>.</summary>
public interface IWabaClientFactory
{
    WabaClient Create(string name);
}

public static class WabaClientServiceCollectionExtensions
{
    private const string HttpClientPrefix = "Waba.Client:";

    /// <summary>
    /// Registers <see cref="WabaClient"/> for one number over <c>IHttpClientFactory</c> (pooled connections, the
    /// connect-only retry handler). Inject <see cref="WabaClient"/>.
    /// </summary>
    public static IHttpClientBuilder AddWabaClient(this IServiceCollection services, Action<WabaClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddWabaClient(Options.DefaultName, configure);
        services.AddTransient(provider => provider.GetRequiredService<IWabaClientFactory>().Create(Options.DefaultName));
        return builder;
    }

    /// <summary>Registers <see cref="WabaClient"/> bound from a configuration section (BaseAddress, ApiKey, Dialect, …).</summary>
    public static IHttpClientBuilder AddWabaClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddWabaClient(options => Bind(section, options));
    }

    /// <summary>Registers a named number's client; get it from <see cref="IWabaClientFactory"/>. One per number a service sends from.</summary>
    public static IHttpClientBuilder AddWabaClient(this IServiceCollection services, string name, Action<WabaClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WabaClientOptions>(name).Configure(configure);
        services.AddSingleton<IWabaClientFactory, WabaClientFactory>();
        return services.AddHttpClient(HttpClientPrefix + name)
            .AddHttpMessageHandler(provider => new ConnectRetryHandler(provider.GetRequiredService<IOptionsMonitor<WabaClientOptions>>().Get(name).ConnectRetries));
    }

    private static void Bind(IConfiguration section, WabaClientOptions options)
    {
        if (section["BaseAddress"] is { Length: > 0 } address)
        {
            options.BaseAddress = new Uri(address);
        }
        options.ApiKey = section["ApiKey"] ?? options.ApiKey;
        if (Enum.TryParse<WabaDialect>(section["Dialect"], ignoreCase: true, out var dialect))
        {
            options.Dialect = dialect;
        }
        options.PhoneNumberId = section["PhoneNumberId"] ?? options.PhoneNumberId;
        options.WabaId = section["WabaId"] ?? options.WabaId;
        options.GraphVersion = section["GraphVersion"] ?? options.GraphVersion;
    }

    private sealed class WabaClientFactory(IHttpClientFactory http, IOptionsMonitor<WabaClientOptions> options) : IWabaClientFactory
    {
        public WabaClient Create(string name) => new(http.CreateClient(HttpClientPrefix + name), options.Get(name));
    }
}
