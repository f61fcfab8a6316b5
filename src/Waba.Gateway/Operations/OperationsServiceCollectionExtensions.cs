using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Waba.Gateway.Operations;

namespace Microsoft.Extensions.DependencyInjection;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>Adds metrics (Prometheus exposition), health and the OpenAPI document.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<WorkerStatus>();
        services.AddHostedService<QueueStatsSampler>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("waba-gateway", serviceVersion: GatewayVersion.Current))
            .WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        // The document describes the wire: every body the gateway writes is snake_case (its source-generated contexts say so).
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi(options => options.AddOperationTransformer<OpenApiErrorResponses>().AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Waba Gateway",
                Version = GatewayVersion.Current,
                Description = "360dialog-compatible WhatsApp Business API gateway: the Cloud and On-Premise dialects (D360-API-KEY), "
                    + "webhook configuration, the sandbox, and the admin API (Bearer admin token).",
            };
            return Task.CompletedTask;
        }));
        return services;
    }
}

public static class OperationsEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, <c>/openapi/v1.json</c> and the reference page at <c>/docs</c>.</summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealth();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "Waba Gateway v1");
            options.RoutePrefix = "docs";
            options.DocumentTitle = "Waba Gateway API reference";
        });
        return app;
    }
}
