using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Gateway.Sandbox.Page;

/// <summary>Whether the page must ask for the admin token before it can use the API.</summary>
public sealed record PageAccessView(bool TokenRequired, bool TokenConfigured);

/// <summary>A number as the page lists it: a sandbox number, or (with the admin token) a real one, shown read-only.</summary>
public sealed record SandboxNumberView(string Id, string PhoneNumber, string HostingType, string WabaId, string WabaName, string Upstream = "sandbox");

/// <param name="HiddenRealNumbers">Real numbers left out because the request bore no admin token.</param>
public sealed record SandboxNumberList(IReadOnlyList<SandboxNumberView> Data, int HiddenRealNumbers = 0);

/// <summary>A number's health: what WhatsApp last reported about it and its WABA, and <c>waba doctor</c>'s checks when asked.</summary>
public sealed record NumberHealthView(string Upstream, bool Registered, System.Text.Json.Nodes.JsonObject? Number, System.Text.Json.Nodes.JsonObject? Waba,
    IReadOnlyList<Meta.DiagnosisCheck>? Checks);

/// <summary>One chat in the number's list: the user, when they last exchanged a message, how many messages.</summary>
public sealed record ChatSummaryView(string WaId, string? UserId, string? Username, DateTimeOffset LastAt, int Messages);

public sealed record ChatList(IReadOnlyList<ChatSummaryView> Data);

/// <summary>
/// A chat as the user's phone shows it, with what the page's controls change: the simulated behaviour and whether the
/// 24-hour customer-service window is open. <paramref name="ReadOnly"/>: a real number's chat, which the page only shows.
/// </summary>
public sealed record ChatView(
    string WaId,
    string? UserId,
    string? Username,
    string? Name,
    [property: JsonPropertyName("not_on_whatsapp")] bool NotOnWhatsApp,
    bool NeverReads,
    DateTimeOffset? LastInboundAt,
    bool WindowOpen,
    ChatBusiness Business,
    IReadOnlyList<ChatMessageView> Messages,
    bool ReadOnly = false);

/// <summary>
/// One message: <paramref name="Content"/> is its type's object exactly as sent or received (the page renders it),
/// <paramref name="Status"/> the latest status due so far (outbound only), <paramref name="Template"/> a template as approved
/// and filled in.
/// </summary>
public sealed record ChatMessageView(
    string Id,
    string Direction,
    string Type,
    DateTimeOffset Timestamp,
    JsonElement Content,
    string? ReplyTo,
    string? Status,
    StatusErrorView? Error,
    RenderedTemplate? Template);

/// <summary>A failed status's first error, as the business's webhook got it.</summary>
public sealed record StatusErrorView(int Code, string Title, string? Details);

/// <summary>A template's header, body and footer with parameters filled in; its buttons with their kinds (QUICK_REPLY, URL, …).</summary>
public sealed record RenderedTemplate(string? Header, string Body, string? Footer, IReadOnlyList<TemplateButtonView> Buttons);

public sealed record TemplateButtonView(string Type, string Text);

public sealed record ChatBehaviourRequest([property: JsonPropertyName("not_on_whatsapp")] bool? NotOnWhatsApp, bool? NeverReads);

public sealed record RewindRequest(double? Hours);

public sealed record RewindResult(int Moved, DateTimeOffset? LastInboundAt, bool WindowOpen);

public sealed record TemplateReviewsEnded(int Ended);

public sealed record ChatChangeEvent(string WaId);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PageAccessView))]
[JsonSerializable(typeof(SandboxNumberList))]
[JsonSerializable(typeof(ChatList))]
[JsonSerializable(typeof(ChatView))]
[JsonSerializable(typeof(ChatBehaviourRequest))]
[JsonSerializable(typeof(RewindRequest))]
[JsonSerializable(typeof(RewindResult))]
[JsonSerializable(typeof(TemplateReviewsEnded))]
[JsonSerializable(typeof(ChatChangeEvent))]
[JsonSerializable(typeof(NumberHealthView))]
internal sealed partial class SandboxPageJsonContext : JsonSerializerContext;
