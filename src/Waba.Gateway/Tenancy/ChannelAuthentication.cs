using Waba.Gateway.Dialects;
using Waba.Gateway.Storage;

namespace Waba.Gateway.Tenancy;

/// <summary>
/// Resolves <c>D360-API-KEY</c> to its channel before any other work; a missing or unknown key gets 401 in
/// 360dialog's error shape. Handlers read the channel with <see cref="ChannelHttpContextExtensions.Channel"/>.
/// </summary>
internal sealed class ChannelAuthentication(IGatewayStore store) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers[ApiKeys.HeaderName].ToString();
        if (!ApiKeys.TryGetPrefix(presented, out var prefix))
        {
            return DialectResults.GatewayError(StatusCodes.Status401Unauthorized, "Invalid api_key or token expired");
        }
        var candidate = await store.FindApiKeyAsync(prefix, http.RequestAborted);
        if (candidate is null || !ApiKeys.Matches(presented, candidate.Hash))
        {
            return DialectResults.GatewayError(StatusCodes.Status401Unauthorized, "Invalid api_key or token expired");
        }
        http.Items[typeof(Channel)] = candidate.Channel;
        return await next(context);
    }
}

public static class ChannelHttpContextExtensions
{
    /// <summary>The channel whose API key authorised this request.</summary>
    public static Channel Channel(this HttpContext context) =>
        context.Items[typeof(Channel)] as Channel
        ?? throw new InvalidOperationException("The endpoint is not behind ChannelAuthentication.");
}
