using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Client.Messages;

/// <summary>
/// One outgoing WhatsApp message, as WhatsApp's send endpoint takes it. Build it with <see cref="Message"/>'s methods
/// (<see cref="Message.Text"/>, <see cref="Message.Image"/>, <see cref="Message.Buttons"/>, <see cref="Message.Template"/>, …), answer a message with
/// <see cref="InReplyTo"/>. Members WhatsApp adds later can travel in <see cref="Extra"/>.
/// </summary>
public sealed record WabaMessage
{
    private readonly string? _to;

    /// <summary>
    /// The user: their phone number in international format (digits, optional +). A business-scoped user id
    /// (<c>DE.0462…</c>) given here goes as <see cref="Recipient"/>, the only field WhatsApp takes it in, so
    /// <c>Message.Text(e.Message.From, …)</c> answers every user, whether they show their number or not.
    /// </summary>
    public string? To
    {
        get => _to;
        init
        {
            if (value is not null && WhatsAppUserId.IsBusinessScoped(value))
            {
                _to = null;
                Recipient = value;
            }
            else
            {
                _to = value;
            }
        }
    }

    /// <summary>The user's business-scoped user id (<c>DE.0462…</c>), instead of <see cref="To"/>.</summary>
    public string? Recipient { get; init; }

    public string RecipientType { get; init; } = "individual";

    public required string Type { get; init; }

    public TextContent? Text { get; init; }
    public MediaContent? Image { get; init; }
    public MediaContent? Audio { get; init; }
    public MediaContent? Video { get; init; }
    public MediaContent? Document { get; init; }
    public MediaContent? Sticker { get; init; }
    public LocationContent? Location { get; init; }
    public IReadOnlyList<Contact>? Contacts { get; init; }
    public InteractiveContent? Interactive { get; init; }
    public TemplateContent? Template { get; init; }
    public ReactionContent? Reaction { get; init; }
    public MessageContext? Context { get; init; }

    /// <summary>Up to 512 characters echoed in every status of this message (Cloud API).</summary>
    public string? BizOpaqueCallbackData { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>This message as an answer to <paramref name="messageId"/>: WhatsApp shows it quoting that message.</summary>
    public WabaMessage InReplyTo(string messageId) => this with { Context = new MessageContext(messageId) };

    /// <summary>Addressed to a business-scoped user id instead of a phone number.</summary>
    public WabaMessage ToUser(string userId) => this with { To = null, Recipient = userId };
}

public sealed record TextContent(string Body, bool? PreviewUrl = null);

/// <summary>Media by the id an upload returned, or by a public https link WhatsApp fetches.</summary>
public sealed record MediaSource
{
    private MediaSource(string? id, string? link)
    {
        Id = id;
        Link = link;
    }

    public string? Id { get; }
    public string? Link { get; }

    public static MediaSource FromId(string id) => new(id, null);
    public static MediaSource FromLink(string link) => new(null, link);
    public static MediaSource FromLink(Uri link) => new(null, link?.ToString());

    internal MediaContent ToContent(string? caption) => new() { Id = Id, Link = Link, Caption = caption };
}

public sealed record MediaContent
{
    public string? Id { get; init; }
    public string? Link { get; init; }
    public string? Caption { get; init; }
    public string? Filename { get; init; }
}

public sealed record LocationContent(double Latitude, double Longitude, string? Name = null, string? Address = null);

public sealed record ReactionContent(string MessageId, string Emoji);

public sealed record MessageContext(string MessageId);

/// <summary>A contact card.</summary>
public sealed record Contact(ContactName Name)
{
    public IReadOnlyList<ContactPhone>? Phones { get; init; }
    public IReadOnlyList<ContactEmail>? Emails { get; init; }
    public IReadOnlyList<ContactUrl>? Urls { get; init; }
    public ContactOrg? Org { get; init; }
    public string? Birthday { get; init; }

    public static Contact Create(string formattedName, string? phone = null, string? waId = null) => new(new ContactName(formattedName))
    {
        Phones = phone is null ? null : [new ContactPhone(phone) { WaId = waId, Type = "CELL" }],
    };
}

public sealed record ContactName(string FormattedName)
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
}

public sealed record ContactPhone(string Phone)
{
    public string? Type { get; init; }
    public string? WaId { get; init; }
}

public sealed record ContactEmail(string Email, string? Type = null);

public sealed record ContactUrl(string Url, string? Type = null);

public sealed record ContactOrg(string? Company = null, string? Department = null, string? Title = null);

/// <summary>Builds every message type WhatsApp sends; <c>await client.SendAsync(Message.Text(to, "Hello"))</c>.</summary>
public static class Message
{
    public static WabaMessage Text(string to, string body, bool previewUrl = false) =>
        new() { To = to, Type = "text", Text = new TextContent(body, previewUrl ? true : null) };

    public static WabaMessage Image(string to, MediaSource media, string? caption = null) =>
        new() { To = to, Type = "image", Image = media.ToContent(caption) };

    public static WabaMessage Video(string to, MediaSource media, string? caption = null) =>
        new() { To = to, Type = "video", Video = media.ToContent(caption) };

    public static WabaMessage Audio(string to, MediaSource media) => new() { To = to, Type = "audio", Audio = media.ToContent(null) };

    public static WabaMessage Sticker(string to, MediaSource media) => new() { To = to, Type = "sticker", Sticker = media.ToContent(null) };

    public static WabaMessage Document(string to, MediaSource media, string? caption = null, string? filename = null) =>
        new() { To = to, Type = "document", Document = media.ToContent(caption) with { Filename = filename } };

    public static WabaMessage Location(string to, double latitude, double longitude, string? name = null, string? address = null) =>
        new() { To = to, Type = "location", Location = new LocationContent(latitude, longitude, name, address) };

    public static WabaMessage ContactCards(string to, params IReadOnlyList<Contact> contacts) =>
        new() { To = to, Type = "contacts", Contacts = contacts };

    /// <summary>Up to three reply buttons under a body text.</summary>
    public static WabaMessage Buttons(string to, string body, params IReadOnlyList<ReplyButton> buttons) =>
        Interactive(to, new InteractiveContent("button") { Body = new InteractiveText(body), Action = new InteractiveAction { Buttons = buttons } });

    /// <summary>A list: <paramref name="button"/> opens it, the user picks one row.</summary>
    public static WabaMessage List(string to, string body, string button, params IReadOnlyList<ListSection> sections) =>
        Interactive(to, new InteractiveContent("list") { Body = new InteractiveText(body), Action = new InteractiveAction { Button = button, Sections = sections } });

    /// <summary>A call-to-action button that opens <paramref name="url"/>.</summary>
    public static WabaMessage CtaUrl(string to, string body, string displayText, string url) =>
        Interactive(to, new InteractiveContent("cta_url")
        {
            Body = new InteractiveText(body),
            Action = new InteractiveAction { Name = "cta_url", Parameters = new ActionParameters { DisplayText = displayText, Url = url } },
        });

    /// <summary>One product of a catalog.</summary>
    public static WabaMessage Product(string to, string catalogId, string productRetailerId, string? body = null) =>
        Interactive(to, new InteractiveContent("product")
        {
            Body = body is null ? null : new InteractiveText(body),
            Action = new InteractiveAction { CatalogId = catalogId, ProductRetailerId = productRetailerId },
        });

    /// <summary>Several products of a catalog in sections; WhatsApp requires a text header.</summary>
    public static WabaMessage ProductList(string to, string header, string body, string catalogId, params IReadOnlyList<ListSection> sections) =>
        Interactive(to, new InteractiveContent("product_list")
        {
            Header = InteractiveHeader.ForText(header),
            Body = new InteractiveText(body),
            Action = new InteractiveAction { CatalogId = catalogId, Sections = sections },
        });

    /// <summary>A WhatsApp Flow opened by a button labelled <paramref name="cta"/>.</summary>
    public static WabaMessage Flow(string to, string body, string cta, string flowId, string flowToken, string flowAction = "navigate",
        string? screen = null) =>
        Interactive(to, new InteractiveContent("flow")
        {
            Body = new InteractiveText(body),
            Action = new InteractiveAction
            {
                Name = "flow",
                Parameters = new ActionParameters
                {
                    FlowMessageVersion = "3",
                    FlowToken = flowToken,
                    FlowId = flowId,
                    FlowCta = cta,
                    FlowAction = flowAction,
                    FlowActionPayload = screen is null ? null : new FlowActionPayload(screen),
                },
            },
        });

    public static WabaMessage Interactive(string to, InteractiveContent interactive) => new() { To = to, Type = "interactive", Interactive = interactive };

    /// <summary>An approved template in a language, with its parameters by component.</summary>
    public static WabaMessage Template(string to, string name, string languageCode, params IReadOnlyList<TemplateComponent> components) =>
        new()
        {
            To = to,
            Type = "template",
            Template = new TemplateContent(name, new TemplateLanguage(languageCode)) { Components = components.Count == 0 ? null : components },
        };

    /// <summary>An emoji on a message; an empty emoji removes the reaction.</summary>
    public static WabaMessage React(string to, string messageId, string emoji) =>
        new() { To = to, Type = "reaction", Reaction = new ReactionContent(messageId, emoji) };
}
