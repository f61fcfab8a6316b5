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
        Func<OutboundMessage, SendOutcome, IResult> success)
    {
        var channel = http.Channel();
        if (channel.HostingType != dialect)
        {
            return DialectResults.WrongDialect(channel, otherDialectEndpoint);
        }
        var (message, markRead, error) = await OutboundMessageReader.ReadAsync(http.Request.Body, dialect, http.RequestAborted,
            metaDecides: Meta.MetaGraph.Serves(channel));
        if (error is not null)
        {
            return DialectResults.Error(dialect, error);
        }
        if (markRead is not null)
        {
            return await MarkReadAsync(http, sender, dialect, markRead);
        }
        var outcome = await sender.SendAsync(channel, message!, http.RequestAborted);
        if (outcome.Rejection is not null)
        {
            return DialectResults.Error(dialect, outcome.Rejection);
        }
        return outcome.MessageId is null
            ? DialectResults.GatewayError(StatusCodes.Status502BadGateway, $"The upstream '{channel.Upstream}' of this number is not available.")
            : success(message!, outcome);
    }

    /// <summary>Marks a message the user sent as read (blue ticks on the user's phone).</summary>
    public static async Task<IResult> MarkReadAsync(HttpContext http, MessageSender sender, HostingType dialect, ReadReceipt receipt)
    {
        var error = await sender.MarkReadAsync(http.Channel(), receipt, http.RequestAborted);
        return error is not null
            ? DialectResults.Error(dialect, error)
            : dialect == HostingType.Cloud
                ? Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)
                : Results.Json(new MetaOnlyResponse(OnPremiseMeta.Current), DialectJsonContext.Relaxed.MetaOnlyResponse);
    }
}
