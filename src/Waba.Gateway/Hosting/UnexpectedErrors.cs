using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Waba.Gateway.Dialects;
using Waba.Gateway.Dialects.Graph;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Hosting;

/// <summary>
/// The last line of defence: an exception no handler expected still gets an answer in the caller's own error shape
/// (Meta's <c>error</c>, On-Premise <c>errors</c>, 360dialog's <c>meta</c>, or RFC 7807 on the admin API) with a
/// trace id that is also in the log, never an empty body.
/// </summary>
internal static partial class UnexpectedErrors
{
    public static IApplicationBuilder UseUnexpectedErrorAnswers(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteAsync, SuppressDiagnosticsCallback = _ => true });

    private static async Task WriteAsync(HttpContext http)
    {
        var exception = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var traceId = Activity.Current?.TraceId.ToString() ?? Identifiers.NewOpaque("trace");
        LogUnexpected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UnexpectedErrors)), exception,
            http.Request.Method, http.Request.Path, traceId);
        var details = $"The gateway failed to handle this request; quote trace id {traceId} when reporting it.";
        var path = http.Request.Path;
        IResult answer;
        if (path.StartsWithSegments("/admin", StringComparison.Ordinal))
        {
            answer = Results.Problem(details, statusCode: StatusCodes.Status500InternalServerError, title: "Internal error",
                extensions: new Dictionary<string, object?> { ["trace_id"] = traceId });
        }
        else if (http.Items[typeof(Channel)] is Channel channel)
        {
            // Graph-dialect callers are Cloud callers: both read Meta's shape.
            var dialect = http.IsGraphCaller() ? HostingType.Cloud : channel.HostingType;
            answer = DialectResults.Error(dialect, new ApiError(ApiErrorKind.Internal, details), traceId);
        }
        else if (path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            answer = DialectResults.Error(HostingType.OnPremise, new ApiError(ApiErrorKind.Internal, details), traceId);
        }
        else if (GraphPaths.LooksLikeGraph(http.Request))
        {
            answer = DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.Internal, details), traceId);
        }
        else
        {
            answer = DialectResults.GatewayError(StatusCodes.Status500InternalServerError, details);
        }
        await answer.ExecuteAsync(http);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure handling {Method} {Path}; answered with trace id {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, Exception? exception, string method, string path, string traceId);
}
