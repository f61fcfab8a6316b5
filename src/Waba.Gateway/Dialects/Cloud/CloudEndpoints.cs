using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.Cloud;

/// <summary>The Cloud API dialect (360dialog <c>waba-v2</c>): <c>POST /messages</c>.</summary>
public static class CloudEndpoints
{
    public static RouteGroupBuilder MapCloudApi(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/messages", SendAsync).WithTags("Cloud API")
            .WithSummary("Send a message (Cloud API dialect, Cloud numbers). Body as Meta's /messages, with messaging_product.")
            .Produces<CloudSendResponse>();
        return channelApi;
    }

    private static Task<IResult> SendAsync(HttpContext http, MessageSender sender) =>
        SendEndpoint.SendAsync(http, sender, HostingType.Cloud, "POST /v1/messages", Success);

    /// <summary>
    /// Meta's answer to a send; template sends also say how template pacing took them (<c>message_status</c>). A send by
    /// BSUID names the user by <c>user_id</c>, and by <c>wa_id</c> only when the business may see the phone number. A
    /// <c>meta</c> number's caller gets Meta's own answer as it came.
    /// </summary>
    internal static IResult Success(OutboundMessage message, SendOutcome outcome)
    {
        if (outcome.UpstreamAnswer is { } answer)
        {
            return Results.Text(answer, "application/json");
        }
        var recipient = outcome.Recipient;
        return Results.Json(new CloudSendResponse("whatsapp",
                [message.UserId is null
                    ? new CloudContactRef(message.To, message.WaId)
                    : new CloudContactRef(message.To, recipient?.VisibleWaId, recipient?.UserId ?? message.UserId)],
                [new MessageRef(outcome.MessageId!, message.Type == "template" ? "accepted" : null)]),
            DialectJsonContext.Relaxed.CloudSendResponse);
    }
}
