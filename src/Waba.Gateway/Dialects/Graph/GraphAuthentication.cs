using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.Graph;

/// <summary>
/// <c>Authorization: Bearer &lt;API key&gt;</c> for the Graph paths; a missing or unknown token gets Meta's 401 (code 190).
/// Under <c>/{version}</c> the version must look like Meta's (<c>v21.0</c>); anything else is not a Graph path (404).
/// </summary>
internal sealed class GraphAuthentication(Tenancy.ITenantStore tenantStore) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues.TryGetValue("version", out var version)
            && (version is not string text || !GraphPaths.Version().IsMatch(text)))
        {
            return Results.NotFound();
        }
        Storage.ReadSnapshot.Begin();
        return await AuthenticateAsync(http, tenantStore) ?? await next(context);
    }

    public static async Task<IResult?> AuthenticateAsync(HttpContext http, Tenancy.ITenantStore tenantStore)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        var candidate = ApiKeys.TryGetPrefix(token, out var prefix) ? await tenantStore.FindApiKeyAsync(prefix, http.RequestAborted) : null;
        if (candidate is null || !ApiKeys.Matches(token, candidate.Hash))
        {
            return Results.Json(
                new CloudErrorBody(new CloudError("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190,
                    new CloudErrorData("whatsapp", "The Bearer token is not an API key of this gateway."), Identifiers.NewOpaque("trace"))),
                DialectJsonContext.Relaxed.CloudErrorBody, statusCode: StatusCodes.Status401Unauthorized);
        }
        http.Items[typeof(Channel)] = candidate.Channel;
        http.MarkGraphCaller();
        return null;
    }
}

/// <summary>
/// For paths that 360dialog's Cloud API and Meta's Graph API share (<c>/{media-id}</c>): the credential decides the dialect.
/// <c>Authorization: Bearer</c> gets Graph semantics and errors; <c>D360-API-KEY</c> (or nothing) gets 360dialog's.
/// </summary>
internal sealed class SharedPathAuthentication(Tenancy.ITenantStore tenantStore) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        Storage.ReadSnapshot.Begin();
        var refusal = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? await GraphAuthentication.AuthenticateAsync(http, tenantStore)
            : await ChannelAuthentication.AuthenticateAsync(http, tenantStore);
        return refusal ?? await next(context);
    }
}

public static partial class GraphPaths
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^v\d+\.\d+$")]
    internal static partial System.Text.RegularExpressions.Regex Version();

    /// <summary>A Graph version segment such as <c>v26.0</c>.</summary>
    public static bool IsVersion(string segment) => Version().IsMatch(segment);

    /// <summary>A request a Graph API client made: a Bearer token, or a path that starts with a Graph version.</summary>
    public static bool LooksLikeGraph(HttpRequest request)
    {
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var path = request.Path.Value ?? string.Empty;
        var end = path.IndexOf('/', 1);
        return path.Length > 1 && Version().IsMatch(end < 0 ? path[1..] : path[1..end]);
    }
}
