using System.Text.Json;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects;

internal static class DialectRequests
{
    /// <summary>Reads the request body as a JSON object; anything else is answered with the dialect's 400.</summary>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadObjectAsync(HttpContext http, HostingType dialect)
    {
        // The document keeps referring to these bytes, so they are its own (not a pooled or disposed buffer).
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            bytes = buffer.ToArray();
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            return (null, DialectResults.Error(dialect, new ApiError(ApiErrorKind.MalformedRequest, Dialects.JsonErrors.Describe(e))));
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, DialectResults.Error(dialect, new ApiError(ApiErrorKind.MalformedRequest, "The request body must be a JSON object.")));
        }
        if (JsonStrings.FindUnreadable(bytes, document.RootElement) is { } unreadable)
        {
            document.Dispose();
            return (null, DialectResults.Error(dialect, unreadable));
        }
        return (document, null);
    }
}
