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
        channelApi.MapGet("/{mediaId:long}", GetCloudMetadataAsync).WithTags("Media").WithSummary("Media metadata with a download URL (Cloud).");
        channelApi.MapDelete("/{mediaId:long}", DeleteCloudAsync).WithTags("Media").WithSummary("Delete media (Cloud).");
        channelApi.MapGet("/media/download/{mediaId}", DownloadAsync).WithTags("Media").WithSummary("Download media bytes (the URL in the metadata).");
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
                // The file's own Content-Type decides when the type field has not come yet.
                var (media, error) = await library.UploadAsync(channel, section.Body, declaredType ?? section.ContentType,
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

    private static Task<IResult> GetCloudMetadataAsync(long mediaId, HttpContext http, IGatewayStore store, Meta.MetaGraph meta) =>
        GetMetadataAsync(mediaId, http, store, meta, id => $"/media/download/{id}");

    /// <param name="downloadPath">Where this dialect downloads a media id (the Graph dialect has its own, with Bearer auth).</param>
    internal static async Task<IResult> GetMetadataAsync(long mediaId, HttpContext http, IGatewayStore store, Meta.MetaGraph meta, Func<string, string> downloadPath)
    {
        var id = mediaId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Meta.MetaGraph.Serves(http.Channel()))
        {
            return await Meta.MetaMedia.MetadataAsync(http, meta, id, downloadPath(id));
        }
        var media = await store.FindMediaAsync(http.Channel().Id, id, http.RequestAborted);
        if (media is null)
        {
            return NotFound(HostingType.Cloud, id);
        }
        var url = $"{http.Request.Scheme}://{http.Request.Host}{downloadPath(media.Id)}";
        return Results.Json(new MediaMetadata("whatsapp", url, media.MimeType, media.Sha256, media.Size, media.Id), MediaJsonContext.Default.MediaMetadata);
    }

    internal static async Task<IResult> DownloadAsync(string mediaId, HttpContext http, IGatewayStore store, MediaFiles files, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await Meta.MetaMedia.DownloadAsync(http, meta, mediaId,
                http.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) ? HostingType.OnPremise : HostingType.Cloud);
        }
        var media = await store.FindMediaAsync(channel.Id, mediaId, http.RequestAborted);
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
