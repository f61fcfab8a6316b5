using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.OnPremise;

/// <summary>The On-Premise API dialect: <c>POST /v1/messages</c>.</summary>
public static class OnPremiseEndpoints
{
    public static RouteGroupBuilder MapOnPremiseApi(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/v1/messages", SendAsync);
        return channelApi;
    }

    private static async Task<IResult> SendAsync(HttpContext http, MessageSender sender)
    {
        var channel = http.Channel();
        if (channel.HostingType != HostingType.OnPremise)
        {
            return DialectResults.WrongDialect(channel, "POST /messages");
        }
        var (message, error) = await OutboundMessageReader.ReadAsync(http.Request.Body, HostingType.OnPremise, http.RequestAborted);
        if (error is not null)
        {
            return DialectResults.Error(HostingType.OnPremise, error);
        }
        var id = await sender.SendAsync(channel, message!, http.RequestAborted);
        return id is null
            ? DialectResults.GatewayError(StatusCodes.Status502BadGateway, $"The upstream '{channel.Upstream}' of this number is not available.")
            : Results.Json(new OnPremiseSendResponse([new MessageRef(id)], OnPremiseMeta.Current),
                DialectJsonContext.Relaxed.OnPremiseSendResponse);
    }
}
