using System.Globalization;
using System.Text.Json;
using Waba.Gateway.Messaging;
using Waba.Gateway.Templates;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// One message as the simulated user's phone shows it; <paramref name="Content"/> is its type's object as sent, so a
/// client can answer a button or list row with the id it carries.
/// </summary>
/// <param name="ReplyTo">The message this one quotes (its <c>context</c>).</param>
/// <param name="Status">The business's messages: the latest status so far (accepted, sent, delivered, read, failed).</param>
/// <param name="Error">A failed message's error, as the webhook carried it.</param>
public sealed record PhoneMessage(string Id, string Direction, string Type, DateTimeOffset Timestamp, string Text, IReadOnlyList<string>? Buttons = null,
    JsonElement? Content = null, string? ReplyTo = null, string? Status = null, Page.StatusErrorView? Error = null);

/// <summary>
/// Renders messages the way WhatsApp shows them on a phone: a template with its parameters filled in, an interactive
/// message's header, body, footer and buttons, media by kind and caption.
/// </summary>
public static class PhoneView
{
    public static PhoneMessage Render(StoredMessage message, MessageTemplate? template)
    {
        using var document = JsonDocument.Parse(message.Body);
        var root = document.RootElement;
        var direction = message.Direction == MessageDirection.Inbound ? "inbound" : "outbound";
        var content = root.TryGetProperty(message.Type, out var value) ? value : default;
        var (text, buttons) = message.Type switch
        {
            "text" => (Str(content, "body"), null),
            "template" => Template(content, template),
            "interactive" => Interactive(content),
            "button" => (Str(content, "text"), null),
            "location" => ($"[location] {Str(content, "name")} {Str(content, "address")} ({Num(content, "latitude")}, {Num(content, "longitude")})".Replace("  ", " ", StringComparison.Ordinal), null),
            "contacts" => ("[contact] " + string.Join(", ", content.ValueKind == JsonValueKind.Array
                ? content.EnumerateArray().Select(c => c.TryGetProperty("name", out var n) ? Str(n, "formatted_name") : "") : []), null),
            "reaction" => ($"[reaction] {Str(content, "emoji")}", null),
            _ => ($"[{message.Type}] {Str(content, "caption")}{Str(content, "filename")}".TrimEnd(), (IReadOnlyList<string>?)null),
        };
        var replyTo = root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
            ? Str(context, "message_id") is { Length: > 0 } quoted ? quoted : Str(context, "id")
            : null;
        return new PhoneMessage(message.Id, direction, message.Type, message.CreatedAt, text, buttons,
            content.ValueKind == JsonValueKind.Undefined ? null : content.Clone(), string.IsNullOrEmpty(replyTo) ? null : replyTo);
    }

    private static (string, IReadOnlyList<string>?) Template(JsonElement request, MessageTemplate? template)
    {
        if (template is null)
        {
            return ($"[template {Str(request, "name")}]", null);
        }
        var rendered = RenderTemplate(request, template);
        var lines = new[] { rendered.Header, rendered.Body, rendered.Footer }.Where(l => !string.IsNullOrEmpty(l));
        return (string.Join("\n", lines), rendered.Buttons.Count > 0 ? [.. rendered.Buttons.Select(b => b.Text)] : null);
    }

    /// <summary>A template's text components with the send's parameters filled in, and its buttons with their kinds.</summary>
    public static Page.RenderedTemplate RenderTemplate(JsonElement request, MessageTemplate template)
    {
        List<TemplateValue> Values(string type)
        {
            var values = new List<TemplateValue>();
            if (request.TryGetProperty("components", out var components) && components.ValueKind == JsonValueKind.Array)
            {
                foreach (var component in components.EnumerateArray().Where(c => Str(c, "type") == type))
                {
                    if (component.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Array)
                    {
                        values.AddRange(parameters.EnumerateArray().Select(p => new TemplateValue(
                            p.TryGetProperty("parameter_name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null, ParameterText(p))));
                    }
                }
            }
            return values;
        }
        using var components = JsonDocument.Parse(template.Components);
        var buttons = components.RootElement.EnumerateArray()
            .Where(c => Str(c, "type").Equals("BUTTONS", StringComparison.OrdinalIgnoreCase) && c.TryGetProperty("buttons", out _))
            .SelectMany(c => c.GetProperty("buttons").EnumerateArray().Select(b => new Page.TemplateButtonView(Str(b, "type").ToUpperInvariant(), Str(b, "text"))))
            .ToList();
        static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
        return new Page.RenderedTemplate(NullIfEmpty(template.Render("HEADER", Values("header"))), template.Render("BODY", Values("body")) ?? "",
            NullIfEmpty(template.Render("FOOTER", [])), buttons);
    }

    /// <summary>What a parameter shows: text as is, currency and dates by their fallback text.</summary>
    private static string ParameterText(JsonElement parameter) => Str(parameter, "type") switch
    {
        "text" => Str(parameter, "text"),
        "currency" => parameter.TryGetProperty("currency", out var c) ? Str(c, "fallback_value") : "",
        "date_time" => parameter.TryGetProperty("date_time", out var d) ? Str(d, "fallback_value") : "",
        "payload" => Str(parameter, "payload"),
        "coupon_code" => Str(parameter, "coupon_code"),
        var other => $"[{other}]",
    };

    private static (string, IReadOnlyList<string>?) Interactive(JsonElement interactive)
    {
        var type = Str(interactive, "type");
        if (type is "button_reply" or "list_reply")
        {
            return (interactive.TryGetProperty(type, out var reply) ? Str(reply, "title") : "", null);
        }
        var header = interactive.TryGetProperty("header", out var h) ? (Str(h, "type") == "text" ? Str(h, "text") : $"[{Str(h, "type")}]") : "";
        var body = interactive.TryGetProperty("body", out var b) ? Str(b, "text") : "";
        var footer = interactive.TryGetProperty("footer", out var f) ? Str(f, "text") : "";
        var text = string.Join("\n", new[] { header, body, footer }.Where(l => l.Length > 0));
        var action = interactive.TryGetProperty("action", out var a) ? a : default;
        IReadOnlyList<string>? buttons = type switch
        {
            "button" when action.TryGetProperty("buttons", out var list) => [.. list.EnumerateArray().Select(x => x.TryGetProperty("reply", out var r) ? Str(r, "title") : "")],
            "list" when action.TryGetProperty("sections", out var sections) =>
                [Str(action, "button"), .. sections.EnumerateArray().SelectMany(s => s.GetProperty("rows").EnumerateArray().Select(r => Str(r, "title")))],
            "cta_url" when action.TryGetProperty("parameters", out var p) => [$"{Str(p, "display_text")} ({Str(p, "url")})"],
            "flow" when action.TryGetProperty("parameters", out var p) => [Str(p, "flow_cta")],
            "product" => [$"[product {Str(action, "product_retailer_id")}]"],
            "product_list" when action.TryGetProperty("sections", out var sections) =>
                [.. sections.EnumerateArray().SelectMany(s => s.TryGetProperty("product_items", out var items) ? items.EnumerateArray().Select(i => $"[product {Str(i, "product_retailer_id")}]") : [])],
            // WhatsApp shows these two as one button under the body.
            "location_request_message" => ["Send location"],
            "catalog_message" => ["View catalog"],
            "voice_call" => [action.TryGetProperty("parameters", out var call) && Str(call, "display_text") is { Length: > 0 } label ? label : "Call Now"],
            "call_permission_request" => ["Allow calls", "Don't allow"],
            "carousel" when action.TryGetProperty("cards", out var cards) => [.. cards.EnumerateArray().Select(Card)],
            _ => null,
        };
        return (text, buttons);
    }

    /// <summary>A carousel card as one line: its media, its text and its buttons.</summary>
    private static string Card(JsonElement card)
    {
        var header = card.TryGetProperty("header", out var h) ? $"[{Str(h, "type")}]" : "";
        var body = card.TryGetProperty("body", out var b) ? Str(b, "text") : "";
        var action = card.TryGetProperty("action", out var a) ? a : default;
        var buttons = action.ValueKind == JsonValueKind.Object && action.TryGetProperty("buttons", out var list)
            ? string.Join(" | ", list.EnumerateArray().Select(x => x.TryGetProperty("quick_reply", out var r) ? Str(r, "title") : ""))
            : action.ValueKind == JsonValueKind.Object && action.TryGetProperty("parameters", out var p) ? $"{Str(p, "display_text")} ({Str(p, "url")})" : "";
        return string.Join(" ", new[] { header, body, buttons.Length > 0 ? $"[{buttons}]" : "" }.Where(x => x.Length > 0));
    }

    /// <summary>A string member of a JSON object, or "" when it is absent or not a string.</summary>
    internal static string Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Num(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString(CultureInfo.InvariantCulture) : value.ToString()
            : "";
}
