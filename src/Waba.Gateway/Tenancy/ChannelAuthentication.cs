using Waba.Gateway.Dialects;
using Waba.Gateway.Storage;

namespace Waba.Gateway.Tenancy;

/// <summary>
/// Resolves <c>D360-API-KEY</c> to its channel before any other work; a missing or unknown key gets 401 in
/// 360dialog's error shape. Handlers read the channel with <see cref="ChannelHttpContextExtensions.Channel"/>.
/// </summary>
internal sealed class ChannelAuthentication(ITenantStore tenantStore) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        // Begun here, so the handler (run by next, inside this flow) sees what authentication recorded.
        ReadSnapshot.Begin();
        return await AuthenticateAsync(context.HttpContext, tenantStore) ?? await next(context);
    }

    /// <summary>Null when the key is good (the channel is then set on the request); otherwise the 401 to answer.</summary>
    public static async Task<IResult?> AuthenticateAsync(HttpContext http, ITenantStore tenantStore)
    {
        var presented = http.Request.Headers[ApiKeys.HeaderName].ToString();
        var candidate = ApiKeys.TryGetPrefix(presented, out var prefix) ? await tenantStore.FindApiKeyAsync(prefix, http.RequestAborted) : null;
        if (candidate is null || !ApiKeys.Matches(presented, candidate.Hash))
        {
            return DialectResults.GatewayError(StatusCodes.Status401Unauthorized, "Invalid api_key or token expired");
        }
        http.Items[typeof(Channel)] = candidate.Channel;
        return null;
    }
}

public static class ChannelHttpContextExtensions
{
    private static readonly object GraphCaller = new();

    /// <summary>The channel whose API key authorised this request.</summary>
    public static Channel Channel(this HttpContext context) =>
        context.Items[typeof(Channel)] as Channel
        ?? throw new InvalidOperationException("The endpoint is not behind ChannelAuthentication.");

    /// <summary>True when the caller authenticated as a Graph API client (<c>Authorization: Bearer</c>): Meta's semantics apply.</summary>
    public static bool IsGraphCaller(this HttpContext context) => context.Items.ContainsKey(GraphCaller);

    internal static void MarkGraphCaller(this HttpContext context) => context.Items[GraphCaller] = true;
}
