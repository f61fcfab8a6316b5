using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waba.Client.Gateway;

/// <summary>
/// A Waba Gateway's simulated WhatsApp users, reached with a sandbox number's key: a user writes, taps a button or a
/// list row, reacts; their chat reads as their phone shows it. Every action causes the webhook a real user's would.
/// </summary>
public sealed class GatewaySandbox(WabaClient client)
{
    /// <summary>The user writes a text; answers the inbound message's id.</summary>
    public Task<string> SayAsync(string from, string text, string? name = null, string? replyTo = null, CancellationToken cancellationToken = default) =>
        WriteAsync(from, new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = text } }, name, replyTo, cancellationToken);

    /// <summary>The user reacts to a message with an emoji.</summary>
    public Task<string> ReactAsync(string from, string messageId, string emoji, CancellationToken cancellationToken = default) =>
        WriteAsync(from, new JsonObject { ["type"] = "reaction", ["reaction"] = new JsonObject { ["message_id"] = messageId, ["emoji"] = emoji } },
            null, null, cancellationToken);

    /// <summary>
    /// The user taps what is labelled <paramref name="title"/> on the latest message of the business that offers it: a
    /// reply button, a list row, or a template's quick-reply button. <see cref="InvalidOperationException"/> when no
    /// message in the chat offers it.
    /// </summary>
    public async Task<string> TapAsync(string from, string title, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        var chat = await GetChatAsync(from, cancellationToken).ConfigureAwait(false);
        foreach (var message in chat.Messages.Reverse().Where(m => m.Direction == "outbound"))
        {
            if (Choice(message, title) is { } reply)
            {
                return await WriteAsync(from, reply, null, message.Id, cancellationToken).ConfigureAwait(false);
            }
        }
        var offered = chat.Messages.Where(m => m.Direction == "outbound").SelectMany(m => m.Buttons ?? []).Distinct().ToList();
        throw new InvalidOperationException(offered.Count == 0
            ? $"Nothing in the chat with {from} offers '{title}': the business has sent no buttons or lists."
            : $"Nothing in the chat with {from} offers '{title}'; offered: {string.Join(", ", offered.Select(o => $"'{o}'"))}.");
    }

    /// <summary>
    /// The user sends any message: <paramref name="message"/> is the inbound body without <c>from</c>
    /// (<c>{"type": "location", "location": {...}}</c>; media as <c>{"data": "&lt;base64&gt;", "mime_type"}</c>).
    /// </summary>
    public async Task<string> WriteAsync(string from, JsonObject message, string? name = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonNode.Parse(message.ToJsonString())!.AsObject();
        body["from"] = from;
        if (name is not null)
        {
            body["name"] = name;
        }
        if (replyTo is not null)
        {
            body["context"] = new JsonObject { ["message_id"] = replyTo };
        }
        var accepted = await client.SendJsonAsync(HttpMethod.Post, "sandbox/v1/inbound", body.ToJsonString(), WabaJsonContext.Default.SandboxAccepted, cancellationToken)
            .ConfigureAwait(false);
        return accepted?.Messages is { Count: > 0 } ids ? ids[0].Id : throw new WabaApiException("The answer named no message id.");
    }

    /// <summary>The chat with a user (phone number or BSUID), oldest message first.</summary>
    public async Task<SandboxChat> GetChatAsync(string user, CancellationToken cancellationToken = default) =>
        await client.SendJsonAsync(HttpMethod.Get, $"sandbox/v1/chats/{Uri.EscapeDataString(user)}", null, WabaJsonContext.Default.SandboxChat, cancellationToken)
            .ConfigureAwait(false) ?? throw new WabaApiException("The answer was empty.");

    /// <summary>The inbound message a tap on <paramref name="title"/> sends, if this message offers it.</summary>
    private static JsonObject? Choice(SandboxPhoneMessage message, string title)
    {
        if (message.Content is not { ValueKind: JsonValueKind.Object } content)
        {
            return null;
        }
        if (message.Type == "interactive" && content.TryGetProperty("action", out var action))
        {
            foreach (var button in Items(action, "buttons"))
            {
                if (button.TryGetProperty("reply", out var reply) && Str(reply, "title") == title)
                {
                    return Interactive("button_reply", new JsonObject { ["id"] = Str(reply, "id"), ["title"] = title });
                }
            }
            foreach (var row in Items(action, "sections").SelectMany(section => Items(section, "rows")))
            {
                if (Str(row, "title") == title)
                {
                    var chosen = new JsonObject { ["id"] = Str(row, "id"), ["title"] = title };
                    if (Str(row, "description") is { } description)
                    {
                        chosen["description"] = description;
                    }
                    return Interactive("list_reply", chosen);
                }
            }
        }
        if (message.Type == "template" && message.Buttons is { } buttons && buttons.ToList().IndexOf(title) is var index and >= 0)
        {
            // The payload is the one the send gave that button (by index), else the button's text, as WhatsApp does.
            var payload = Items(content, "components")
                .Where(c => Str(c, "type") == "button" && Str(c, "index") == index.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .SelectMany(c => Items(c, "parameters")).Select(p => Str(p, "payload")).FirstOrDefault(p => p is not null) ?? title;
            return new JsonObject { ["type"] = "button", ["button"] = new JsonObject { ["text"] = title, ["payload"] = payload } };
        }
        return null;
    }

    private static JsonObject Interactive(string type, JsonObject choice) =>
        new() { ["type"] = "interactive", ["interactive"] = new JsonObject { ["type"] = type, [type] = choice } };

    private static JsonElement[] Items(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];

    private static string? Str(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
