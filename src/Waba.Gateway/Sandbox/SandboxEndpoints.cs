using System.Globalization;
using System.Text.Json;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Sandbox;

/// <summary><c>POST /sandbox/v1/inbound</c>: a simulated user writes to the number whose API key is used.</summary>
public static class SandboxEndpoints
{
    public static RouteGroupBuilder MapSandbox(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/sandbox/v1/inbound", ReceiveAsync).WithTags("Sandbox")
            .WithSummary("A simulated user sends a message to the number: {from, name?, type: text, text: {body}} → 202.");
        return channelApi;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, IGatewayStore store, DeliverySignal signal, TimeProvider time)
    {
        var channel = http.Channel();
        if (channel.Upstream != SandboxUpstream.UpstreamName)
        {
            return DialectResults.GatewayError(StatusCodes.Status400BadRequest,
                $"This number uses the '{channel.Upstream}' upstream; simulated users only write to sandbox numbers.");
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException e)
        {
            return DialectResults.Error(channel.HostingType, new ApiError(ApiErrorKind.MalformedRequest, $"The request body is not valid JSON: {e.Message}"));
        }
        using (document)
        {
            var root = document.RootElement;
            if (Validate(root, out var from, out var name) is { } error)
            {
                return DialectResults.Error(channel.HostingType, error);
            }
            var now = time.GetUtcNow();
            var message = new InboundMessagePayload
            {
                From = from,
                Id = Identifiers.NewMessageId(),
                Timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                Type = "text",
                Content = new() { ["text"] = root.GetProperty("text").Clone() },
            };
            var webhookEvent = WebhookEvents.ForInboundMessage(channel, name, message, now);
            await store.SaveMessageAsync(
                new StoredMessage(message.Id, channel.Id, MessageDirection.Inbound, from, message.Type, root.GetRawText(), now),
                [webhookEvent], http.RequestAborted);
            signal.Notify();
            return Results.Json(new AcceptedResponse([new MessageRef(message.Id)]), DialectJsonContext.Relaxed.AcceptedResponse,
                statusCode: StatusCodes.Status202Accepted);
        }
    }

    private static ApiError? Validate(JsonElement root, out string from, out string name)
    {
        from = name = string.Empty;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ApiError(ApiErrorKind.MalformedRequest, "The request body must be a JSON object.");
        }
        if (!root.TryGetProperty("from", out var fromElement) || fromElement.ValueKind == JsonValueKind.Null)
        {
            return ApiError.Missing("from");
        }
        if (fromElement.ValueKind != JsonValueKind.String || !OutboundMessageReader.TryGetWaId(fromElement.GetString()!, out from))
        {
            return ApiError.Invalid("from", "must be a phone number in international format");
        }
        name = root.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            ? nameElement.GetString()!
            : from;
        var type = root.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : "text";
        if (type != "text")
        {
            return new ApiError(ApiErrorKind.UnsupportedMessageType, $"type: simulated users can only send 'text' so far, not '{type}'");
        }
        if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.Object)
        {
            return ApiError.Missing("text");
        }
        if (!text.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String || body.GetString()!.Length == 0)
        {
            return ApiError.Missing("text.body");
        }
        return null;
    }
}
