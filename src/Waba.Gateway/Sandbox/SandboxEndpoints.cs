using System.Text.Json;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Sandbox;

/// <summary>The chat header: who the business is, as the user's phone shows it (its business profile).</summary>
public sealed record ChatBusiness(string Name, string? About = null, string? Description = null, string? Vertical = null, string? ProfilePictureUrl = null)
{
    /// <summary>The header of the number's chats: the WABA's name and the number's business profile.</summary>
    public static async Task<ChatBusiness> OfAsync(Channel channel, ITenantStore tenants, Profiles.IBusinessProfileStore profiles,
        CancellationToken cancellationToken)
    {
        var waba = await tenants.FindWabaAsync(channel.WabaId, cancellationToken);
        var profile = await profiles.FindAsync(channel.Id, cancellationToken);
        return new ChatBusiness(waba?.Name ?? channel.PhoneNumber, profile?.About, profile?.Description, profile?.Vertical,
            profile?.ProfilePictureHandle is { } handle ? Media.MediaEndpoints.LookasideUrl(handle) : null);
    }
}

public sealed record PhoneChat(string WaId, IReadOnlyList<PhoneMessage> Messages, ChatBusiness? Business = null);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(PhoneChat))]
[System.Text.Json.Serialization.JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class SandboxJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// <c>POST /sandbox/v1/inbound</c>: a simulated user writes to the number whose API key is used: text, location,
/// contacts, a template quick-reply (<c>button</c>), a button or list reply (<c>interactive</c>), a reaction, and any
/// of them as a reply (<c>context.message_id</c>).
/// </summary>
public static class SandboxEndpoints
{
    public static RouteGroupBuilder MapSandbox(this RouteGroupBuilder channelApi)
    {
        channelApi.MapGet("/sandbox/v1/chats/{waId}", ChatAsync).WithTags("Sandbox")
            .WithSummary("The conversation with one simulated user (by phone number or BSUID) as their phone shows it (templates rendered, buttons listed).");
        channelApi.MapPost("/sandbox/v1/inbound", ReceiveAsync).WithTags("Sandbox")
            .WithSummary("A simulated user sends a message to the number: {from, name?, type, <type object>, context?} → 202.");
        return channelApi;
    }

    private static async Task<IResult> ChatAsync(string waId, HttpContext http, Tenancy.ITenantStore tenantStore,
        Messaging.IMessageStore messageStore, Templates.ITemplateStore templateStore, Profiles.IBusinessProfileStore profiles, UserDirectory directory,
        Conversations.IConversationStore conversations, TimeProvider time)
    {
        var channel = http.Channel();
        // A chat is found by the user's phone number or by their BSUID.
        if (UserDirectory.UserIdFormat().IsMatch(waId) && await directory.ResolveAsync(channel.WabaId, waId, http.RequestAborted) is { } known)
        {
            waId = known.WaId;
        }
        if (!OutboundMessageReader.TryGetWaId(waId, out var user))
        {
            return DialectResults.Error(channel.HostingType, ApiError.Invalid("wa_id", "must be a phone number"));
        }
        var messages = await messageStore.ListConversationAsync(channel.Id, user, 100, http.RequestAborted);
        var latest = messages.Count == 0
            ? []
            : Conversations.MessageStatuses.Latest(await conversations.ListStatusesAsync(channel.Id,
                [.. messages.Where(m => m.Direction == Messaging.MessageDirection.Outbound).Select(m => m.Id)],
                messages.Min(m => m.CreatedAt) - TimeSpan.FromMinutes(1), time.GetUtcNow(), http.RequestAborted));
        var rendered = new List<PhoneMessage>(messages.Count);
        foreach (var message in messages)
        {
            Templates.MessageTemplate? template = null;
            if (message.Type == "template")
            {
                using var body = JsonDocument.Parse(message.Body);
                var request = body.RootElement.GetProperty("template");
                template = await templateStore.FindTemplateAsync(channel.WabaId, request.GetProperty("name").GetString()!,
                    request.GetProperty("language").GetProperty("code").GetString()!, http.RequestAborted);
            }
            var shown = PhoneView.Render(message, template);
            if (message.Direction == Messaging.MessageDirection.Outbound)
            {
                latest.TryGetValue(message.Id, out var status);
                shown = shown with
                {
                    Status = status?.Status ?? "accepted",
                    Error = status?.Status == "failed" && Conversations.MessageStatuses.ErrorOf(status.Payload) is { } error
                        ? new Page.StatusErrorView(error.Code, error.Title, error.Details) : null,
                };
            }
            rendered.Add(shown);
        }
        var business = await ChatBusiness.OfAsync(channel, tenantStore, profiles, http.RequestAborted);
        return Results.Json(new PhoneChat(user, rendered, business), SandboxJsonContext.Default.PhoneChat);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, SimulatedInbound inbound)
    {
        var channel = http.Channel();
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, channel.HostingType);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            return await inbound.ReceiveAsync(channel, document!.RootElement, http.RequestAborted);
        }
    }
}
