using System.Text.Json;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Signing;
using Waba.Gateway.Webhooks.UrlPolicy;

namespace Waba.Gateway.Webhooks;

/// <summary>
/// <c>/v1/configs/webhook</c>: a number's own webhook (On-Premise numbers, and an override for Cloud numbers).
/// <c>/waba_webhook</c>: the WABA webhook every Cloud number of the WABA uses.
/// </summary>
public static class WebhookConfigEndpoints
{
    public static RouteGroupBuilder MapWebhookConfig(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/v1/configs/webhook", SetNumberWebhookAsync).WithTags("Webhooks")
            .WithSummary("Set the number's own webhook {url, headers?, rotate_secret?}; answers signing_secret when one is issued.");
        channelApi.MapGet("/v1/configs/webhook", GetNumberWebhookAsync).WithTags("Webhooks").WithSummary("Read the number's own webhook.");
        channelApi.MapPost("/waba_webhook", SetWabaWebhookAsync).WithTags("Webhooks")
            .WithSummary("Set the WABA webhook used by the WABA's Cloud numbers (Cloud numbers' keys only).");
        channelApi.MapGet("/waba_webhook", GetWabaWebhookAsync).WithTags("Webhooks").WithSummary("Read the WABA webhook.");
        return channelApi;
    }

    private static Task<IResult> SetNumberWebhookAsync(HttpContext http, WebhookSettings settings) =>
        settings.SetAsync(http, WebhookScope.PhoneNumber, http.Channel().Id);

    private static Task<IResult> GetNumberWebhookAsync(HttpContext http, IWebhookConfigStore webhooks) =>
        GetAsync(http, webhooks, WebhookScope.PhoneNumber, http.Channel().Id);

    private static Task<IResult> SetWabaWebhookAsync(HttpContext http, WebhookSettings settings)
    {
        var channel = http.Channel();
        return channel.HostingType == HostingType.Cloud
            ? settings.SetAsync(http, WebhookScope.Waba, channel.WabaId)
            : Task.FromResult(DialectResults.WrongDialect(channel, "POST /v1/configs/webhook"));
    }

    private static Task<IResult> GetWabaWebhookAsync(HttpContext http, IWebhookConfigStore webhooks)
    {
        var channel = http.Channel();
        return channel.HostingType == HostingType.Cloud
            ? GetAsync(http, webhooks, WebhookScope.Waba, channel.WabaId)
            : Task.FromResult(DialectResults.WrongDialect(channel, "GET /v1/configs/webhook"));
    }

    private static async Task<IResult> GetAsync(HttpContext http, IWebhookConfigStore webhooks, WebhookScope scope, string ownerId)
    {
        var config = await webhooks.FindWebhookAsync(scope, ownerId, http.RequestAborted);
        return config is null
            ? DialectResults.Error(http.Channel().HostingType, new ApiError(ApiErrorKind.ResourceNotFound, "No webhook is configured."))
            : Results.Json(new WebhookConfigResponse(config.Url, config.Headers.Count == 0 ? null : config.Headers,
                    SecretHint: config.Secret.Length == 0 ? null : Signing.WebhookSignatures.Hint(config.Secret)),
                DialectJsonContext.Relaxed.WebhookConfigResponse);
    }
}

/// <summary>Checks and stores a webhook: URL rules, credentials out of the URL, and the signing secret's life.</summary>
public sealed class WebhookSettings(IWebhookConfigStore webhooks, WebhookUrlPolicy policy, TimeProvider time, IOptions<WebhooksOptions> options,
    Delivery.IWebhookOutbox outbox, Delivery.EndpointHealth health, Delivery.DeliverySignal signal)
{
    private readonly TimeSpan _grace = Durations.Parse(options.Value.SecretRotationGrace, "Webhooks:SecretRotationGrace");

    public async Task<IResult> SetAsync(HttpContext http, WebhookScope scope, string ownerId)
    {
        var channel = http.Channel();
        var dialect = channel.HostingType;
        WebhookConfigRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, DialectJsonContext.Default.WebhookConfigRequest, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return DialectResults.Error(dialect, new ApiError(ApiErrorKind.MalformedRequest, Dialects.JsonErrors.Describe(e)));
        }
        // The WABA webhook and a Cloud number's webhook follow the Cloud URL rules.
        var (accepted, error) = await policy.CheckAsync(request?.Url, cloud: scope == WebhookScope.Waba || dialect == HostingType.Cloud, http.RequestAborted);
        if (error is not null)
        {
            return DialectResults.Error(dialect, error);
        }
        var headers = new Dictionary<string, string>(request!.Headers ?? [], StringComparer.OrdinalIgnoreCase);
        if (accepted!.BasicAuthorization is { } basic)
        {
            headers["Authorization"] = basic;
        }

        var now = time.GetUtcNow();
        var existing = await webhooks.FindWebhookAsync(scope, ownerId, http.RequestAborted);
        string? issued = null;
        WebhookConfig config;
        if (existing is null || existing.Secret.Length == 0)
        {
            issued = WebhookSignatures.NewSecret();
            config = new WebhookConfig(accepted.Url, headers, now, issued);
        }
        else if (request.RotateSecret == true)
        {
            issued = WebhookSignatures.NewSecret();
            config = new WebhookConfig(accepted.Url, headers, now, issued, existing.Secret, now + _grace);
        }
        else
        {
            config = existing with { Url = accepted.Url, Headers = headers, UpdatedAt = now };
        }
        await webhooks.SetWebhookAsync(scope, ownerId, config, http.RequestAborted);
        // What waited for a webhook (none yet, or earlier failures) is tried now, not on its retry schedule.
        health.Reset(Delivery.EndpointHealth.KeyOf(config.Url));
        if (await outbox.MakeDueAsync(scope, ownerId, now, http.RequestAborted) > 0)
        {
            signal.Notify();
        }
        return Results.Json(new WebhookConfigResponse(config.Url, config.Headers.Count == 0 ? null : config.Headers, issued,
                config.Secret.Length == 0 ? null : Signing.WebhookSignatures.Hint(config.Secret)),
            DialectJsonContext.Relaxed.WebhookConfigResponse);
    }
}
