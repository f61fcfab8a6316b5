using System.Text.Json;
using Waba.Gateway.Dialects;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Webhooks;

/// <summary>
/// <c>/v1/configs/webhook</c>: a number's own webhook (On-Premise numbers, and an override for Cloud numbers).
/// <c>/waba_webhook</c>: the WABA webhook every Cloud number of the WABA uses.
/// </summary>
public static class WebhookConfigEndpoints
{
    public static RouteGroupBuilder MapWebhookConfig(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/v1/configs/webhook", SetNumberWebhookAsync);
        channelApi.MapGet("/v1/configs/webhook", GetNumberWebhookAsync);
        channelApi.MapPost("/waba_webhook", SetWabaWebhookAsync);
        channelApi.MapGet("/waba_webhook", GetWabaWebhookAsync);
        return channelApi;
    }

    private static Task<IResult> SetNumberWebhookAsync(HttpContext http, IGatewayStore store, TimeProvider time) =>
        SetAsync(http, store, time, WebhookScope.PhoneNumber, http.Channel().Id);

    private static Task<IResult> GetNumberWebhookAsync(HttpContext http, IGatewayStore store) =>
        GetAsync(http, store, WebhookScope.PhoneNumber, http.Channel().Id);

    private static Task<IResult> SetWabaWebhookAsync(HttpContext http, IGatewayStore store, TimeProvider time)
    {
        var channel = http.Channel();
        return channel.HostingType == HostingType.Cloud
            ? SetAsync(http, store, time, WebhookScope.Waba, channel.WabaId)
            : Task.FromResult(DialectResults.WrongDialect(channel, "POST /v1/configs/webhook"));
    }

    private static Task<IResult> GetWabaWebhookAsync(HttpContext http, IGatewayStore store)
    {
        var channel = http.Channel();
        return channel.HostingType == HostingType.Cloud
            ? GetAsync(http, store, WebhookScope.Waba, channel.WabaId)
            : Task.FromResult(DialectResults.WrongDialect(channel, "GET /v1/configs/webhook"));
    }

    private static async Task<IResult> SetAsync(HttpContext http, IGatewayStore store, TimeProvider time, WebhookScope scope, string ownerId)
    {
        var dialect = http.Channel().HostingType;
        WebhookConfigRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, DialectJsonContext.Default.WebhookConfigRequest, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return DialectResults.Error(dialect, new ApiError(ApiErrorKind.MalformedRequest, $"The request body is not valid JSON: {e.Message}"));
        }
        if (WebhookUrlRules.Check(request?.Url) is { } error)
        {
            return DialectResults.Error(dialect, error);
        }
        var config = new WebhookConfig(request!.Url!, request.Headers ?? [], time.GetUtcNow());
        await store.SetWebhookAsync(scope, ownerId, config, http.RequestAborted);
        return Results.Json(new WebhookConfigResponse(config.Url, config.Headers.Count == 0 ? null : config.Headers),
            DialectJsonContext.Relaxed.WebhookConfigResponse);
    }

    private static async Task<IResult> GetAsync(HttpContext http, IGatewayStore store, WebhookScope scope, string ownerId)
    {
        var config = await store.FindWebhookAsync(scope, ownerId, http.RequestAborted);
        return config is null
            ? DialectResults.Error(http.Channel().HostingType, new ApiError(ApiErrorKind.ResourceNotFound, "No webhook is configured."))
            : Results.Json(new WebhookConfigResponse(config.Url, config.Headers.Count == 0 ? null : config.Headers),
                DialectJsonContext.Relaxed.WebhookConfigResponse);
    }
}
