using System.Security.Cryptography;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects;

/// <summary>Renders errors in the caller's dialect: Meta's shape for Cloud, the On-Premise shape, or 360dialog's own.</summary>
public static class DialectResults
{
    /// <param name="traceId">The trace id to show (Meta's <c>fbtrace_id</c>); a fresh one when not given.</param>
    public static IResult Error(HostingType dialect, ApiError error, string? traceId = null)
    {
        var (cloudCode, cloudTitle, onPremiseCode, onPremiseTitle, status) = error.Describe();
        return dialect == HostingType.Cloud
            ? Results.Json(
                new CloudErrorBody(new CloudError(error.Kind == ApiErrorKind.Upstream ? cloudTitle : $"(#{cloudCode}) {cloudTitle}", "OAuthException", cloudCode,
                    new CloudErrorData("whatsapp", error.Details), error.FromUpstream?.TraceId ?? traceId ?? NewTraceId())),
                DialectJsonContext.Relaxed.CloudErrorBody, statusCode: status)
            : Results.Json(
                new OnPremiseErrorBody([new OnPremiseError(onPremiseCode, onPremiseTitle, error.Details)], OnPremiseMeta.Current),
                DialectJsonContext.Relaxed.OnPremiseErrorBody, statusCode: error.OnPremiseHttpStatus);
    }

    /// <summary>
    /// Meta's answer to a Graph path or method it does not serve: <c>GraphMethodException</c>, code 100, subcode 33, HTTP 400.
    /// </summary>
    public static IResult GraphUnsupported(string method, string objectId) =>
        Results.Json(new CloudErrorBody(new CloudError(
                $"Unsupported {method.ToLowerInvariant()} request. Object with ID '{objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                "GraphMethodException", 100, null, NewTraceId(), 33)),
            DialectJsonContext.Relaxed.CloudErrorBody, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>An error of the gateway's own layer (API key, wrong endpoint), in 360dialog's <c>meta</c> shape.</summary>
    public static IResult GatewayError(int httpCode, string developerMessage) =>
        Results.Json(new GatewayErrorBody(new GatewayErrorMeta(httpCode, developerMessage, false)),
            DialectJsonContext.Relaxed.GatewayErrorBody, statusCode: httpCode);

    /// <summary>The answer to a channel that called the other hosting type's endpoint.</summary>
    public static IResult WrongDialect(Channel channel, string rightEndpoint) =>
        GatewayError(StatusCodes.Status400BadRequest,
            $"This number is hosted on the {(channel.HostingType == HostingType.Cloud ? "Cloud API" : "On-Premise API")}: use {rightEndpoint} instead.");

    private static string NewTraceId()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        return Identifiers.Base64Url(bytes);
    }
}
