using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.OnPremise;

/// <summary>The On-Premise API dialect: <c>POST /v1/messages</c>.</summary>
public static class OnPremiseEndpoints
{
    public static RouteGroupBuilder MapOnPremiseApi(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/v1/messages", SendAsync).WithTags("On-Premise API")
            .WithSummary("Send a message (On-Premise dialect, On-Premise numbers).");
        return channelApi;
    }

    private static Task<IResult> SendAsync(HttpContext http, MessageSender sender) =>
        SendEndpoint.SendAsync(http, sender, HostingType.OnPremise, "POST /messages", static (_, id) =>
            Results.Json(new OnPremiseSendResponse([new MessageRef(id)], OnPremiseMeta.Current),
                DialectJsonContext.Relaxed.OnPremiseSendResponse));
}
