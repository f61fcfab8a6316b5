using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Meta;

/// <summary>
/// Webhooks from Meta: <c>GET /meta/webhook</c> answers the verification handshake; <c>POST /meta/webhook</c> checks
/// <c>X-Hub-Signature-256</c> against the app secret (constant time; a bad signature is 401 and nothing is kept), keeps
/// the raw body, and routes each change by <c>metadata.phone_number_id</c> to its number's webhook in that number's
/// shape (Meta's for Cloud numbers, converted for On-Premise numbers). Unknown numbers are logged and kept.
/// </summary>
public static partial class MetaWebhookEndpoints
{
    public static IEndpointRouteBuilder MapMetaWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet("/meta/webhook", Verify).WithTags("Meta").WithSummary("Meta's verification handshake (hub.mode, hub.verify_token, hub.challenge).");
        app.MapPost("/meta/webhook", ReceiveAsync).WithTags("Meta").WithSummary("Webhooks from Meta, signed with the app secret.");
        return app;
    }

    private static IResult Verify(HttpRequest request, IOptions<MetaOptions> options)
    {
        var expected = options.Value.VerifyToken;
        var presented = request.Query["hub.verify_token"].ToString();
        return request.Query["hub.mode"] == "subscribe" && !string.IsNullOrEmpty(expected) && SameText(presented, expected)
            ? Results.Text(request.Query["hub.challenge"].ToString(), "text/plain")
            : Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, IOptions<MetaOptions> options, Tenancy.ITenantStore tenantStore,
        IMetaStore metaStore, DeliverySignal signal,
        TimeProvider time, ILoggerFactory loggers)
    {
        if (string.IsNullOrEmpty(options.Value.AppSecret))
        {
            return Results.NotFound();
        }
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var signature = http.Request.Headers["X-Hub-Signature-256"].ToString();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.AppSecret), body));
        if (!SameText(signature, expected))
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var now = time.GetUtcNow();
        var events = new List<NewWebhookEvent>();
        var unrouted = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var entry in Items(document.RootElement, "entry"))
            {
                foreach (var change in Items(entry, "changes"))
                {
                    if (!change.TryGetProperty("value", out var value)
                        || !value.TryGetProperty("metadata", out var metadata)
                        || !metadata.TryGetProperty("phone_number_id", out var pnid) || pnid.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }
                    var channel = await tenantStore.FindChannelByPhoneNumberIdAsync(pnid.GetString()!, http.RequestAborted);
                    if (channel is null)
                    {
                        unrouted.Add(pnid.GetString()!);
                        continue;
                    }
                    events.Add(ToEvent(channel, change, value, now));
                }
            }
        }
        catch (JsonException)
        {
            // Signed by Meta but not JSON: kept as it came, routed nowhere.
        }
        await metaStore.SaveMetaInboundAsync(Identifiers.NewOpaque("meta"), Encoding.UTF8.GetString(body), now, unrouted.Count == 0 && events.Count > 0, events, http.RequestAborted);
        if (events.Count > 0)
        {
            signal.Notify();
        }
        if (unrouted.Count > 0)
        {
            LogUnrouted(loggers.CreateLogger(typeof(MetaWebhookEndpoints)), string.Join(", ", unrouted));
        }
        return Results.Text("EVENT_RECEIVED");
    }

    private static NewWebhookEvent ToEvent(Channel channel, JsonElement change, JsonElement value, DateTimeOffset now)
    {
        var (kind, messageId) = value.TryGetProperty("messages", out var messages) && messages.GetArrayLength() > 0
            ? ("message." + Text(messages[0], "type"), Text(messages[0], "id"))
            : value.TryGetProperty("statuses", out var statuses) && statuses.GetArrayLength() > 0
                ? ("status." + Text(statuses[0], "status"), Text(statuses[0], "id"))
                : ("change." + Text(change, "field"), null);
        var output = new ArrayBufferWriter<byte>();
        // The default encoder writes non-ASCII as \uXXXX, as Meta's own bodies do.
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            if (channel.HostingType == HostingType.Cloud)
            {
                writer.WriteString("object", "whatsapp_business_account");
                writer.WriteStartArray("entry");
                writer.WriteStartObject();
                writer.WriteString("id", channel.WabaId);
                writer.WriteStartArray("changes");
                change.WriteTo(writer);
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }
            else
            {
                // The On-Premise shape: the arrays at the top, without Cloud's envelope and metadata.
                foreach (var property in value.EnumerateObject().Where(p => p.Name is "contacts" or "messages" or "statuses" or "errors"))
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        return new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, kind, channel.HostingType, Encoding.UTF8.GetString(output.WrittenSpan), now, messageId);
    }

    private static JsonElement.ArrayEnumerator Items(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : default;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool SameText(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meta webhook for unknown phone-number id(s) {PhoneNumberIds}: kept, not routed")]
    private static partial void LogUnrouted(ILogger logger, string phoneNumberIds);
}
