using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Waba.Gateway.Dialects;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Media;

public sealed record MediaIdResponse(string Id);

public sealed record MediaMetadata(string MessagingProduct, string Url, string MimeType, string Sha256, long FileSize, string Id);

public sealed record OnPremiseMediaResponse(IReadOnlyList<MediaIdResponse> Media, OnPremiseMeta Meta);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MediaIdResponse))]
[JsonSerializable(typeof(MediaMetadata))]
[JsonSerializable(typeof(OnPremiseMediaResponse))]
internal sealed partial class MediaJsonContext : JsonSerializerContext;

/// <summary>
/// Media in both dialects. Cloud: <c>POST /media</c> (multipart), <c>GET /{media-id}</c> (metadata with a download URL),
/// <c>GET /media/download/{id}</c>, <c>DELETE /{media-id}</c>. On-Premise: <c>POST /v1/media</c> (raw body),
/// <c>GET</c>/<c>DELETE /v1/media/{id}</c>. Media belongs to its number: another number's key gets 404.
/// </summary>
public static class MediaEndpoints
{
    public static RouteGroupBuilder MapMedia(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/media", UploadMultipartAsync).WithTags("Media").WithSummary("Upload media (Cloud): multipart with file, type, messaging_product.");
        channelApi.MapGet("/media/download/{mediaId}", DownloadAsync).WithTags("Media").WithSummary("Download media bytes (the gateway's own short form).");
        channelApi.MapPost("/v1/media", UploadRawAsync).WithTags("Media").WithSummary("Upload media (On-Premise): the raw body with its Content-Type.");
        channelApi.MapGet("/v1/media/{mediaId}", DownloadAsync).WithTags("Media").WithSummary("Download media (On-Premise).");
        channelApi.MapDelete("/v1/media/{mediaId}", DeleteOnPremiseAsync).WithTags("Media").WithSummary("Delete media (On-Premise).");
        return channelApi;
    }

    private static void AllowLargeBody(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MediaKinds.LargestAllowed + (1024 * 1024);
        }
    }

    internal static async Task<IResult> UploadMultipartAsync(HttpContext http, MediaLibrary library, Meta.MetaGraph meta)
    {
        AllowLargeBody(http);
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await Meta.MetaMedia.UploadAsync(http, meta, HostingType.Cloud, multipart: true);
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.MalformedRequest, "The upload must be multipart/form-data with file, type and messaging_product."));
        }
        var reader = new MultipartReader(boundary, http.Request.Body);
        string? declaredType = null;
        MediaRecord? uploaded = null;
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(http.RequestAborted)) is not null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (disposition.IsFileDisposition() && name == "file" && uploaded is null)
            {
                // As at Meta, the file part's own Content-Type decides; "type" is optional and clients send either the MIME type
                // or the generic kind ("image"), so it is used only when the file part names no media type.
                var fileType = MediaKinds.For(section.ContentType) is null && MediaKinds.For(declaredType) is not null ? declaredType : section.ContentType;
                var (media, error) = await library.UploadAsync(channel, section.Body, fileType,
                    HeaderUtilities.RemoveQuotes(disposition.FileName).Value, http.RequestAborted);
                if (error is not null)
                {
                    return DialectResults.Error(HostingType.Cloud, error);
                }
                uploaded = media;
            }
            else if (name == "type")
            {
                declaredType = (await new StreamReader(section.Body).ReadToEndAsync(http.RequestAborted)).Trim();
            }
        }
        return uploaded is null
            ? DialectResults.Error(HostingType.Cloud, ApiError.Missing("file"))
            : Results.Json(new MediaIdResponse(uploaded.Id), MediaJsonContext.Default.MediaIdResponse);
    }

    private static async Task<IResult> UploadRawAsync(HttpContext http, MediaLibrary library, Meta.MetaGraph meta)
    {
        AllowLargeBody(http);
        if (Meta.MetaGraph.Serves(http.Channel()))
        {
            return await Meta.MetaMedia.UploadAsync(http, meta, HostingType.OnPremise, multipart: false);
        }
        var (media, error) = await library.UploadAsync(http.Channel(), http.Request.Body, http.Request.ContentType, null, http.RequestAborted);
        return error is not null
            ? DialectResults.Error(HostingType.OnPremise, error)
            : Results.Json(new OnPremiseMediaResponse([new MediaIdResponse(media!.Id)], OnPremiseMeta.Current),
                MediaJsonContext.Default.OnPremiseMediaResponse, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// The URL 360dialog's Cloud API answers for a media id: Meta's lookaside form. 360dialog's clients download it by
    /// swapping <c>https://lookaside.fbsbx.com</c> for their base URL, which here reaches <c>/whatsapp_business/attachments</c>.
    /// </summary>
    internal static string LookasideUrl(string mediaId) => $"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid={Uri.EscapeDataString(mediaId)}";

    /// <summary>
    /// The same download on this gateway's own host: what an inbound message's media <c>url</c> says, so a client that
    /// downloads the <c>url</c> as it is (pywa) and one that swaps the lookaside host for its base URL (360dialog's recipe)
    /// both reach the gateway with their own key.
    /// </summary>
    internal static string AttachmentUrl(string publicBaseUrl, string mediaId) =>
        $"{publicBaseUrl.TrimEnd('/')}/whatsapp_business/attachments/?mid={Uri.EscapeDataString(mediaId)}";

    /// <param name="downloadUrl">Where this dialect downloads a media id (the Graph dialect has its own, with Bearer auth).</param>
    internal static async Task<IResult> GetMetadataAsync(long mediaId, HttpContext http, IMediaStore mediaStore, Meta.MetaGraph meta, Func<string,
        string> downloadUrl)
    {
        var id = mediaId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Meta.MetaGraph.Serves(http.Channel()))
        {
            return await Meta.MetaMedia.MetadataAsync(http, meta, id, downloadUrl(id));
        }
        var media = await mediaStore.FindMediaAsync(http.Channel().Id, id, http.RequestAborted);
        if (media is null)
        {
            return NotFound(HostingType.Cloud, id);
        }
        return Results.Json(new MediaMetadata("whatsapp", downloadUrl(media.Id), media.MimeType, media.Sha256, media.Size, media.Id), MediaJsonContext.Default.MediaMetadata);
    }

    internal static async Task<IResult> DownloadAsync(string mediaId, HttpContext http, IMediaStore mediaStore, MediaFiles files, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await Meta.MetaMedia.DownloadAsync(http, meta, mediaId,
                http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) ? HostingType.OnPremise : HostingType.Cloud);
        }
        var media = await mediaStore.FindMediaAsync(channel.Id, mediaId, http.RequestAborted);
        var stream = media is null ? null : files.Open(media.Id);
        return stream is null
            ? NotFound(http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) ? HostingType.OnPremise : HostingType.Cloud, mediaId)
            : Results.Stream(stream, media!.MimeType, media.Filename, enableRangeProcessing: true);
    }

    internal static async Task<IResult> DeleteCloudAsync(long mediaId, HttpContext http, MediaLibrary library, Meta.MetaGraph meta)
    {
        var id = mediaId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Meta.MetaGraph.Serves(http.Channel()))
        {
            return await Meta.MetaMedia.DeleteAsync(http, meta, id, HostingType.Cloud);
        }
        return await library.DeleteAsync(http.Channel(), id, http.RequestAborted)
            ? Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse)
            : NotFound(HostingType.Cloud, id);
    }

    private static async Task<IResult> DeleteOnPremiseAsync(string mediaId, HttpContext http, MediaLibrary library, Meta.MetaGraph meta) =>
        Meta.MetaGraph.Serves(http.Channel())
            ? await Meta.MetaMedia.DeleteAsync(http, meta, mediaId, HostingType.OnPremise)
            : await library.DeleteAsync(http.Channel(), mediaId, http.RequestAborted)
            ? Results.Json(new MetaOnlyResponse(OnPremiseMeta.Current), DialectJsonContext.Relaxed.MetaOnlyResponse)
            : NotFound(HostingType.OnPremise, mediaId);

    private static IResult NotFound(HostingType dialect, string id) =>
        DialectResults.Error(dialect, new ApiError(ApiErrorKind.ResourceNotFound, $"media id '{id}' does not exist for this number"));
}
