using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.Cloud;

/// <summary>The Cloud API dialect (360dialog <c>waba-v2</c>): <c>POST /messages</c>.</summary>
public static class CloudEndpoints
{
    public static RouteGroupBuilder MapCloudApi(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/messages", SendAsync);
        return channelApi;
    }

    private static async Task<IResult> SendAsync(HttpContext http, MessageSender sender)
    {
        var channel = http.Channel();
        if (channel.HostingType != HostingType.Cloud)
        {
            return DialectResults.WrongDialect(channel, "POST /v1/messages");
        }
        var (message, error) = await OutboundMessageReader.ReadAsync(http.Request.Body, HostingType.Cloud, http.RequestAborted);
        if (error is not null)
        {
            return DialectResults.Error(HostingType.Cloud, error);
        }
        var id = await sender.SendAsync(channel, message!, http.RequestAborted);
        return id is null
            ? DialectResults.GatewayError(StatusCodes.Status502BadGateway, $"The upstream '{channel.Upstream}' of this number is not available.")
            : Results.Json(new CloudSendResponse("whatsapp", [new CloudContactRef(message!.To, message.WaId)], [new MessageRef(id)]),
                DialectJsonContext.Relaxed.CloudSendResponse);
    }
}
