using System.Net;
using System.Text.Json;

namespace Waba.Client.Http;

/// <summary>Reads an error answer in any of the shapes WhatsApp APIs use into one <see cref="WabaApiException"/>.</summary>
internal static class WabaErrors
{
    public static async Task<WabaApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return Parse(response.StatusCode, body);
    }

    public static WabaApiException Parse(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            // Meta's Cloud and Graph APIs: {"error": {"message", "code", "error_subcode", "error_data": {"details"}, "fbtrace_id"}}
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = Int(error, "code");
                var details = error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object ? Str(data, "details") : null;
                var title = Str(error, "error_user_title") ?? StripCode(Str(error, "message") ?? "Error", code);
                return new WabaApiException(code, title, details ?? Str(error, "error_user_msg"), status, Str(error, "fbtrace_id"),
                    error.TryGetProperty("error_subcode", out _) ? Int(error, "error_subcode") : null);
            }
            // On-Premise: {"errors": [{"code", "title", "details"}]}
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                return new WabaApiException(Int(first, "code"), Str(first, "title") ?? "Error", Str(first, "details"), status);
            }
            // 360dialog's own answers (an unknown key): {"meta": {"http_code", "developer_message", "success": false}}
            if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
            {
                return new WabaApiException(0, Str(meta, "developer_message") ?? Str(meta, "developerMessage") ?? status.ToString(), null, status);
            }
            // RFC 7807 problem details (a gateway's admin API).
            if (root.TryGetProperty("title", out _))
            {
                return new WabaApiException(0, Str(root, "title") ?? status.ToString(), Str(root, "detail"), status);
            }
        }
        catch (JsonException)
        {
        }
        return new WabaApiException(0, $"HTTP {(int)status} {status}", body.Length > 500 ? body[..500] : body, status);
    }

    private static string StripCode(string message, int code) =>
        message.StartsWith($"(#{code}) ", StringComparison.Ordinal) ? message[$"(#{code}) ".Length..] : message;

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;
}
