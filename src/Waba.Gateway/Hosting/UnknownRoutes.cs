using Microsoft.AspNetCore.Diagnostics;
using Waba.Gateway.Dialects;
using Waba.Gateway.Dialects.Graph;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Hosting;

/// <summary>
/// A path or method nothing here serves (a 404 or 405 with no body yet) is answered in the caller's shape: Meta's
/// <c>GraphMethodException</c> to Graph callers, the On-Premise <c>errors</c> object under <c>/v1</c>, 360dialog's
/// <c>meta</c> object on its Cloud paths, and RFC 7807 on the gateway's own (admin, sandbox page, operations).
/// </summary>
internal static class UnknownRoutes
{
    private static readonly string[] GatewayPaths = ["/admin", "/sandbox", "/healthz", "/readyz", "/metrics", "/openapi", "/docs", "/meta"];

    public static IApplicationBuilder UseUnknownRouteAnswers(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var path = http.Request.Path;
            if (status is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
                || GatewayPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
            {
                await WriteProblemAsync(http);
                return;
            }
            var method = http.Request.Method;
            IResult answer;
            if (http.IsGraphCaller() || GraphPaths.LooksLikeGraph(http.Request))
            {
                answer = DialectResults.GraphUnsupported(method, ObjectId(path.Value ?? string.Empty));
            }
            else if (path.StartsWithSegments("/v1", StringComparison.Ordinal))
            {
                answer = DialectResults.Error(HostingType.OnPremise, new ApiError(ApiErrorKind.ResourceNotFound,
                    $"{method} {path} is not an On-Premise API route; see /docs for every route."));
            }
            else
            {
                answer = DialectResults.GatewayError(StatusCodes.Status404NotFound,
                    $"No route {method} {path}. Cloud numbers send with POST /messages, On-Premise numbers with POST /v1/messages; every route is listed at /docs.");
            }
            await answer.ExecuteAsync(http);
        });

    /// <summary>The object a Graph path names: the segment after the version, or the first one.</summary>
    private static string ObjectId(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length switch
        {
            0 => string.Empty,
            _ when GraphPaths.IsVersion(segments[0]) => segments.Length > 1 ? segments[1] : string.Empty,
            _ => segments[0],
        };
    }

    private static async Task WriteProblemAsync(HttpContext http)
    {
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http });
    }
}
