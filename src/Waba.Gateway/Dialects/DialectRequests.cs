using System.Text.Json;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects;

internal static class DialectRequests
{
    /// <summary>Reads the request body as a JSON object; anything else is answered with the dialect's 400.</summary>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadObjectAsync(HttpContext http, HostingType dialect)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException e)
        {
            return (null, DialectResults.Error(dialect, new ApiError(ApiErrorKind.MalformedRequest, $"The request body is not valid JSON: {e.Message}")));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, DialectResults.Error(dialect, new ApiError(ApiErrorKind.MalformedRequest, "The request body must be a JSON object.")));
        }
        return (document, null);
    }
}
