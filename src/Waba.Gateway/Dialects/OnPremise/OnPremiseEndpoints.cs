using System.Text.Json;
using Waba.Gateway.Messaging;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Sandbox;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.OnPremise;

/// <summary>The On-Premise API dialect: <c>POST /v1/messages</c>.</summary>
public static class OnPremiseEndpoints
{
    public static RouteGroupBuilder MapOnPremiseApi(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/v1/messages", SendAsync).WithTags("On-Premise API")
            .WithSummary("Send a message (On-Premise dialect, On-Premise numbers).")
            .Produces<OnPremiseSendResponse>();
        channelApi.MapPut("/v1/messages/{id}", MarkReadAsync).WithTags("On-Premise API")
            .WithSummary("Mark a received message as read: {\"status\": \"read\"}.");
        channelApi.MapGet("/v1/health", HealthAsync).WithTags("On-Premise API")
            .WithSummary("The On-Premise health check: {\"health\": {\"gateway_status\": \"connected\"}} when the number's upstream can send.");
        channelApi.MapPost("/v1/contacts", CheckContactsAsync).WithTags("On-Premise API")
            .WithSummary("Check which numbers are WhatsApp users: {\"blocking\": \"wait\", \"contacts\": [\"+49...\"]}.");
        return channelApi;
    }

    private static async Task<IResult> MarkReadAsync(string id, HttpContext http, MessageSender sender)
    {
        var channel = http.Channel();
        if (channel.HostingType != HostingType.OnPremise)
        {
            return DialectResults.WrongDialect(channel, "POST /messages with {\"status\": \"read\", \"message_id\": ...}");
        }
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.OnPremise);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            if (Fields.OneOf(document!.RootElement, "status", "status", ["read"], out _) is { } error)
            {
                return DialectResults.Error(HostingType.OnPremise, error);
            }
        }
        return await SendEndpoint.MarkReadAsync(http, sender, HostingType.OnPremise, ReadReceipt.ForMessage(id));
    }

    /// <summary>
    /// Meta's On-Premise health answer. A sandbox number is always connected; a <c>meta</c> number is connected when it
    /// has Meta credentials, else <c>unregistered</c>.
    /// </summary>
    private static async Task<IResult> HealthAsync(HttpContext http, Meta.IMetaStore metaStore)
    {
        var channel = http.Channel();
        var status = channel.Upstream == SandboxUpstream.UpstreamName
            || await metaStore.FindMetaCredentialsAsync(channel.Id, http.RequestAborted) is not null
            ? "connected"
            : "unregistered";
        return Results.Json(new HealthResponse(new GatewayHealth(status), OnPremiseMeta.Current), DialectJsonContext.Relaxed.HealthResponse);
    }

    /// <summary>The On-Premise contacts check: each input answered valid (with its wa_id) or invalid.</summary>
    private static async Task<IResult> CheckContactsAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromServices] SimulatedUsers? users, UserDirectory directory)
    {
        var channel = http.Channel();
        if (channel.HostingType != HostingType.OnPremise)
        {
            return DialectResults.GatewayError(StatusCodes.Status400BadRequest,
                "The Cloud API has no contacts check: send to the number; a non-user gets a failed status (131026).");
        }
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.OnPremise);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            var root = document!.RootElement;
            if (Fields.Array(root, "contacts", "contacts", 1, 1000, out var contacts) is { } error)
            {
                return DialectResults.Error(HostingType.OnPremise, error);
            }
            var results = new List<ContactCheckResult>();
            var i = 0;
            foreach (var contact in contacts.EnumerateArray())
            {
                if (contact.ValueKind != JsonValueKind.String)
                {
                    return DialectResults.Error(HostingType.OnPremise, ApiError.Invalid($"contacts[{i}]", "must be a phone number string"));
                }
                i++;
                var input = contact.GetString()!;
                // Only sandbox numbers have simulated users to ask; any other upstream would ask WhatsApp.
                var sandbox = channel.Upstream == SandboxUpstream.UpstreamName ? users : null;
                results.Add(OutboundMessageReader.TryGetWaId(input, out var waId) && (sandbox?.IsOnWhatsApp(waId) ?? true)
                    && !(sandbox is not null && (await directory.FindAsync(channel.WabaId, waId, http.RequestAborted))?.NotOnWhatsApp == true)
                    ? new ContactCheckResult(input, "valid", waId)
                    : new ContactCheckResult(input, "invalid"));
            }
            return Results.Json(new ContactsResponse(results, OnPremiseMeta.Current), DialectJsonContext.Relaxed.ContactsResponse);
        }
    }

    private static Task<IResult> SendAsync(HttpContext http, MessageSender sender) =>
        SendEndpoint.SendAsync(http, sender, HostingType.OnPremise, "POST /messages", static (_, outcome) =>
            Results.Json(new OnPremiseSendResponse([new MessageRef(outcome.MessageId!)], OnPremiseMeta.Current),
                DialectJsonContext.Relaxed.OnPremiseSendResponse));
}
