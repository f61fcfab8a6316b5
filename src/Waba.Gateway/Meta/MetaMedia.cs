using System.Net.Http.Headers;
using System.Text.Json;
using Waba.Gateway.Dialects;
using Waba.Gateway.Media;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Meta;

/// <summary>Media of <c>meta</c> numbers lives at Meta: uploads stream through, downloads are fetched with the number's token.</summary>
internal static class MetaMedia
{
    public static async Task<IResult> UploadAsync(HttpContext http, MetaGraph meta, HostingType dialect, bool multipart)
    {
        var channel = http.Channel();
        HttpContent content;
        if (multipart)
        {
            // The client's multipart already holds file, type and messaging_product: passed on as it streams in.
            content = new StreamContent(http.Request.Body);
            content.Headers.TryAddWithoutValidation("Content-Type", http.Request.ContentType);
        }
        else
        {
            var file = new StreamContent(http.Request.Body);
            file.Headers.TryAddWithoutValidation("Content-Type", http.Request.ContentType);
            content = new MultipartFormDataContent
            {
                { new StringContent("whatsapp"), "messaging_product" },
                { new StringContent(http.Request.ContentType ?? "application/octet-stream"), "type" },
                { file, "file", "upload" },
            };
        }
        var (response, error) = await meta.SendAsync(channel, HttpMethod.Post, $"{channel.PhoneNumberId}/media", content, http.RequestAborted);
        using (response)
        {
            if (response is null || !response.IsSuccessStatusCode)
            {
                return DialectResults.Error(dialect, error ?? await MetaGraph.ErrorOfAsync(response!, http.RequestAborted));
            }
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(http.RequestAborted));
            var id = answer.RootElement.GetProperty("id").GetString()!;
            return multipart
                ? Results.Json(new MediaIdResponse(id), MediaJsonContext.Default.MediaIdResponse)
                : Results.Json(new OnPremiseMediaResponse([new MediaIdResponse(id)], OnPremiseMeta.Current), MediaJsonContext.Default.OnPremiseMediaResponse,
                    statusCode: StatusCodes.Status201Created);
        }
    }

    /// <summary>Meta's metadata, with the download URL pointing at the gateway (which fetches Meta's URL with the token).</summary>
    public static async Task<IResult> MetadataAsync(HttpContext http, MetaGraph meta, string mediaId, string downloadUrl)
    {
        var (metadata, error) = await FetchMetadataAsync(http, meta, mediaId);
        if (metadata is null)
        {
            return DialectResults.Error(HostingType.Cloud, error!);
        }
        var m = metadata.Value;
        return Results.Json(new MediaMetadata("whatsapp", downloadUrl,
            m.GetProperty("mime_type").GetString()!, m.TryGetProperty("sha256", out var sha) ? sha.GetString()! : "",
            m.TryGetProperty("file_size", out var size) && size.TryGetInt64(out var bytes) ? bytes : 0, mediaId), MediaJsonContext.Default.MediaMetadata);
    }

    public static async Task<IResult> DownloadAsync(HttpContext http, MetaGraph meta, string mediaId, HostingType dialect)
    {
        var (metadata, error) = await FetchMetadataAsync(http, meta, mediaId);
        if (metadata is null)
        {
            return DialectResults.Error(dialect, error!);
        }
        var (response, downloadError) = await meta.SendAsync(http.Channel(), HttpMethod.Get, metadata.Value.GetProperty("url").GetString()!, null, http.RequestAborted);
        if (response is null || !response.IsSuccessStatusCode)
        {
            using (response)
            {
                return DialectResults.Error(dialect, downloadError ?? new ApiError(ApiErrorKind.UpstreamUnavailable, $"Meta's media URL answered {(int)response!.StatusCode}."));
            }
        }
        // Streamed as Meta sends it: nothing is buffered whole or kept.
        http.Response.RegisterForDispose(response);
        if (response.Content.Headers.ContentLength is { } length)
        {
            http.Response.ContentLength = length;
        }
        return Results.Stream(await response.Content.ReadAsStreamAsync(http.RequestAborted),
            metadata.Value.TryGetProperty("mime_type", out var mime) ? mime.GetString() : response.Content.Headers.ContentType?.MediaType);
    }

    public static async Task<IResult> DeleteAsync(HttpContext http, MetaGraph meta, string mediaId, HostingType dialect)
    {
        var (response, error) = await meta.SendAsync(http.Channel(), HttpMethod.Delete, mediaId, null, http.RequestAborted);
        using (response)
        {
            if (response is null || !response.IsSuccessStatusCode)
            {
                return DialectResults.Error(dialect, error ?? await MetaGraph.ErrorOfAsync(response!, http.RequestAborted));
            }
            return dialect == HostingType.Cloud
                ? Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)
                : Results.Json(new MetaOnlyResponse(OnPremiseMeta.Current), DialectJsonContext.Relaxed.MetaOnlyResponse);
        }
    }

    private static async Task<(JsonElement? Metadata, ApiError? Error)> FetchMetadataAsync(HttpContext http, MetaGraph meta, string mediaId)
    {
        var (response, error) = await meta.SendAsync(http.Channel(), HttpMethod.Get, mediaId, null, http.RequestAborted);
        using (response)
        {
            if (response is null || !response.IsSuccessStatusCode)
            {
                return (null, error ?? await MetaGraph.ErrorOfAsync(response!, http.RequestAborted));
            }
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(http.RequestAborted));
            return (document.RootElement.Clone(), null);
        }
    }
}
