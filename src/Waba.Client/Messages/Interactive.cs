using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Client.Messages;

/// <summary>An interactive message: <see cref="Type"/> is button, list, cta_url, product, product_list, flow, …</summary>
public sealed record InteractiveContent(string Type)
{
    public InteractiveHeader? Header { get; init; }
    public InteractiveText? Body { get; init; }
    public InteractiveText? Footer { get; init; }
    public InteractiveAction? Action { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public InteractiveContent WithHeader(string text) => this with { Header = InteractiveHeader.ForText(text) };
    public InteractiveContent WithFooter(string text) => this with { Footer = new InteractiveText(text) };
}

public sealed record InteractiveText(string Text);

public sealed record InteractiveHeader(string Type)
{
    public string? Text { get; init; }
    public MediaContent? Image { get; init; }
    public MediaContent? Video { get; init; }
    public MediaContent? Document { get; init; }

    public static InteractiveHeader ForText(string text) => new("text") { Text = text };
}

public sealed record InteractiveAction
{
    public IReadOnlyList<ReplyButton>? Buttons { get; init; }

    /// <summary>A list's button text.</summary>
    public string? Button { get; init; }

    public IReadOnlyList<ListSection>? Sections { get; init; }
    public string? Name { get; init; }
    public ActionParameters? Parameters { get; init; }
    public string? CatalogId { get; init; }
    public string? ProductRetailerId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A reply button: WhatsApp sends <paramref name="Reply"/>'s id back when the user taps it.</summary>
public sealed record ReplyButton(ReplyButtonReply Reply)
{
    public string Type { get; init; } = "reply";

    public static ReplyButton Create(string id, string title) => new(new ReplyButtonReply(id, title));
}

public sealed record ReplyButtonReply(string Id, string Title);

public sealed record ListSection
{
    public string? Title { get; init; }
    public IReadOnlyList<ListRow>? Rows { get; init; }
    public IReadOnlyList<ProductItem>? ProductItems { get; init; }

    public static ListSection Create(string? title, params IReadOnlyList<ListRow> rows) => new() { Title = title, Rows = rows };

    public static ListSection Products(string title, params IReadOnlyList<string> productRetailerIds) =>
        new() { Title = title, ProductItems = [.. productRetailerIds.Select(id => new ProductItem(id))] };
}

public sealed record ListRow(string Id, string Title, string? Description = null);

public sealed record ProductItem(string ProductRetailerId);

/// <summary>The parameters of a cta_url or flow action.</summary>
public sealed record ActionParameters
{
    public string? DisplayText { get; init; }
    public string? Url { get; init; }
    public string? FlowMessageVersion { get; init; }
    public string? FlowToken { get; init; }
    public string? FlowId { get; init; }
    public string? FlowName { get; init; }
    public string? FlowCta { get; init; }
    public string? FlowAction { get; init; }
    public FlowActionPayload? FlowActionPayload { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed record FlowActionPayload(string Screen)
{
    public JsonElement? Data { get; init; }
}
