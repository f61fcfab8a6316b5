using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects;

/// <summary>The send flow both dialects share; only the endpoint, the validation dialect and the success body differ.</summary>
internal static class SendEndpoint
{
    public static async Task<IResult> SendAsync(
        HttpContext http,
        MessageSender sender,
        HostingType dialect,
        string otherDialectEndpoint,
        Func<OutboundMessage, string, IResult> success)
    {
        var channel = http.Channel();
        if (channel.HostingType != dialect)
        {
            return DialectResults.WrongDialect(channel, otherDialectEndpoint);
        }
        var (message, error) = await OutboundMessageReader.ReadAsync(http.Request.Body, dialect, http.RequestAborted);
        if (error is not null)
        {
            return DialectResults.Error(dialect, error);
        }
        var id = await sender.SendAsync(channel, message!, http.RequestAborted);
        return id is null
            ? DialectResults.GatewayError(StatusCodes.Status502BadGateway, $"The upstream '{channel.Upstream}' of this number is not available.")
            : success(message!, id);
    }
}
