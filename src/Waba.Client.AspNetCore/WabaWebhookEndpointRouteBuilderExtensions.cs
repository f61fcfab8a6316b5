using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Waba.Client.Webhooks;

namespace Waba.Client.AspNetCore;

public static class WabaWebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Receives WhatsApp webhooks at <paramref name="pattern"/>: checks the signature (401 otherwise), answers 200 at
    /// once, drops a delivery whose <c>webhook-id</c> came before, and hands each event to <paramref name="handler"/>
    /// in the background (its own DI scope). Secrets come from <c>Waba:Webhook:Secret</c> (or <c>Secrets</c>) and
    /// <paramref name="configure"/>.
    /// </summary>
    public static IEndpointConventionBuilder MapWabaWebhook(this IEndpointRouteBuilder endpoints, string pattern,
        Func<WebhookEvent, IServiceProvider, CancellationToken, Task> handler, Action<WabaWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(handler);
        var services = endpoints.ServiceProvider;
        var options = new WabaWebhookOptions();
        var section = services.GetRequiredService<IConfiguration>().GetSection("Waba:Webhook");
        if (section["Secret"] is { Length: > 0 } secret)
        {
            options.Secrets.Add(secret);
        }
        foreach (var child in section.GetSection("Secrets").GetChildren())
        {
            if (child.Value is { Length: > 0 } value)
            {
                options.Secrets.Add(value);
            }
        }
        options.VerifyToken = section["VerifyToken"];
        configure?.Invoke(options);
        if (options.Secrets.Count == 0 && !options.AllowUnsigned)
        {
            throw new InvalidOperationException(
                $"MapWabaWebhook(\"{pattern}\") has no signing secret: set Waba:Webhook:Secret (the gateway's whsec_… or Meta's app secret), or AllowUnsigned = true.");
        }
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var queue = new WebhookEventQueue(options, handler, services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Waba.Client.AspNetCore.WebhookEndpoint"), time);
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => queue.DisposeAsync().AsTask().GetAwaiter().GetResult());

        var group = endpoints.MapGroup(pattern);
        // RequestDelegate endpoints: nothing is bound by reflection, so the receiver stays trimming- and AOT-safe.
        group.MapGet("", http => Handshake(http.Request, options).ExecuteAsync(http));
        group.MapPost("", async http => await (await ReceiveAsync(http, options, queue, time).ConfigureAwait(false)).ExecuteAsync(http).ConfigureAwait(false));
        return group;
    }

    /// <summary>The same, for a handler that needs no services.</summary>
    public static IEndpointConventionBuilder MapWabaWebhook(this IEndpointRouteBuilder endpoints, string pattern, Func<WebhookEvent, CancellationToken, Task> handler,
        Action<WabaWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapWabaWebhook(pattern, (e, _, ct) => handler(e, ct), configure);
    }

    private static IResult Handshake(HttpRequest request, WabaWebhookOptions options) =>
        options.VerifyToken is { Length: > 0 } token && request.Query["hub.mode"] == "subscribe" && request.Query["hub.verify_token"] == token
            ? Results.Text(request.Query["hub.challenge"].ToString())
            : Results.StatusCode(StatusCodes.Status403Forbidden);

    private static async Task<IResult> ReceiveAsync(HttpContext http, WabaWebhookOptions options, WebhookEventQueue queue, TimeProvider time)
    {
        var request = http.Request;
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > options.MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        var verification = WebhookSignature.Verify(Header, body.Span, options.Secrets, time.GetUtcNow(), options.TimestampTolerance);
        if (verification != WebhookVerification.Valid && !(verification == WebhookVerification.Missing && options.AllowUnsigned))
        {
            return Results.Text($"webhook signature: {verification}", statusCode: StatusCodes.Status401Unauthorized);
        }
        var deliveryId = Header("webhook-id");
        if (queue.IsDuplicate(deliveryId))
        {
            return Results.Ok();
        }
        IReadOnlyList<WebhookEvent> events;
        try
        {
            events = WebhookPayload.Parse(body.Span);
        }
        catch (JsonException e)
        {
            return Results.Text($"not a WhatsApp webhook body: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        return queue.TryEnqueue(deliveryId, events) ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }
}
