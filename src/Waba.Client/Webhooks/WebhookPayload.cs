using System.Text.Json;

namespace Waba.Client.Webhooks;

/// <summary>Reads a webhook body of either shape into its events.</summary>
public static class WebhookPayload
{
    /// <summary>The events of a webhook body; <see cref="JsonException"/> when the body is not JSON or not an object.</summary>
    public static IReadOnlyList<WebhookEvent> Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A webhook body is a JSON object.");
        }
        return root.TryGetProperty("entry", out _) || root.TryGetProperty("object", out _) ? FromCloud(root) : FromOnPremise(root);
    }

    public static IReadOnlyList<WebhookEvent> Parse(string body) => Parse(System.Text.Encoding.UTF8.GetBytes(body ?? throw new ArgumentNullException(nameof(body))));

    private static List<WebhookEvent> FromCloud(JsonElement root)
    {
        var payload = root.Deserialize(WabaJsonContext.Default.CloudWebhookPayload)!;
        var events = new List<WebhookEvent>();
        foreach (var entry in payload.Entry ?? [])
        {
            var changes = root.GetProperty("entry").EnumerateArray().FirstOrDefault(e => e.TryGetProperty("id", out var id) && id.GetString() == entry.Id);
            var index = 0;
            foreach (var change in entry.Changes ?? [])
            {
                var value = change.Value;
                if (change.Field == "messages" && value is not null)
                {
                    var template = new WebhookEvent(WebhookEventKind.Message)
                    {
                        PhoneNumberId = value.Metadata?.PhoneNumberId,
                        DisplayPhoneNumber = value.Metadata?.DisplayPhoneNumber,
                        WabaId = entry.Id,
                        Field = change.Field,
                    };
                    Add(events, template, value.Contacts, value.Messages, value.Statuses, value.Errors);
                }
                else
                {
                    JsonElement? raw = changes.ValueKind == JsonValueKind.Object && changes.TryGetProperty("changes", out var list) && list.GetArrayLength() > index
                        && list[index].TryGetProperty("value", out var v) ? v.Clone() : null;
                    events.Add(new WebhookEvent(WebhookEventKind.Other) { WabaId = entry.Id, Field = change.Field, Value = raw, PhoneNumberId = value?.Metadata?.PhoneNumberId });
                }
                index++;
            }
        }
        return events;
    }

    private static List<WebhookEvent> FromOnPremise(JsonElement root)
    {
        var payload = root.Deserialize(WabaJsonContext.Default.OnPremiseWebhookPayload)!;
        var events = new List<WebhookEvent>();
        Add(events, new WebhookEvent(WebhookEventKind.Message), payload.Contacts, payload.Messages, payload.Statuses, payload.Errors);
        return events;
    }

    private static void Add(List<WebhookEvent> events, WebhookEvent template, IReadOnlyList<WebhookContact>? contacts, IReadOnlyList<InboundMessage>? messages,
        IReadOnlyList<MessageStatus>? statuses, IReadOnlyList<WebhookError>? errors)
    {
        foreach (var message in messages ?? [])
        {
            var contact = contacts?.FirstOrDefault(c => c.WaId is not null && c.WaId == message.From || c.UserId is not null && c.UserId == (message.FromUserId ?? message.From))
                ?? (contacts is { Count: 1 } ? contacts[0] : null);
            events.Add(template with { Kind = WebhookEventKind.Message, Message = message, Contact = contact });
        }
        foreach (var status in statuses ?? [])
        {
            var contact = contacts?.FirstOrDefault(c => c.WaId is not null && c.WaId == status.RecipientId || c.UserId is not null && c.UserId == status.RecipientUserId);
            events.Add(template with { Kind = WebhookEventKind.Status, Status = status, Contact = contact });
        }
        foreach (var error in errors ?? [])
        {
            events.Add(template with { Kind = WebhookEventKind.Error, Error = error });
        }
    }
}
