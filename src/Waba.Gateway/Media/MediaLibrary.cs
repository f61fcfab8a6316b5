using Waba.Gateway.Dialects;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Media;

/// <summary>Accepts media for a number: WhatsApp's types and size limits, bytes to disk, the record to the database.</summary>
public sealed class MediaLibrary(IMediaStore mediaStore, MediaFiles files, TimeProvider time)
{
    public async Task<(MediaRecord? Media, ApiError? Error)> UploadAsync(Channel channel, Stream content, string? contentType, string? filename,
        CancellationToken cancellationToken)
    {
        if (MediaKinds.For(contentType) is not { } kind)
        {
            return (null, new ApiError(ApiErrorKind.MediaRejected,
                $"type: '{contentType}' is not a media type WhatsApp accepts (for example image/jpeg, image/png, video/mp4, audio/ogg, application/pdf, image/webp)"));
        }
        var id = Identifiers.NewNumeric();
        var stored = await files.SaveAsync(id, content, kind.MaxBytes, cancellationToken);
        if (stored.TooLarge)
        {
            return (null, new ApiError(ApiErrorKind.MediaRejected, $"file: {kind.Kind} files may be at most {kind.MaxBytes / 1024} KB"));
        }
        if (kind.Kind == "sticker" && stored.Size > MediaKinds.StaticStickerMaxBytes && !files.IsAnimatedWebp(id))
        {
            files.Delete(id);
            return (null, new ApiError(ApiErrorKind.MediaRejected,
                $"file: a static sticker may be at most {MediaKinds.StaticStickerMaxBytes / 1024} KB (animated: {kind.MaxBytes / 1024} KB)"));
        }
        if (stored.Size == 0)
        {
            files.Delete(id);
            return (null, new ApiError(ApiErrorKind.MediaRejected, "file: the file is empty"));
        }
        var media = new MediaRecord(id, channel.Id, MediaKinds.Normalise(contentType!), stored.Sha256, stored.Size, filename, time.GetUtcNow());
        await mediaStore.SaveMediaAsync(media, cancellationToken);
        return (media, null);
    }

    public async Task<bool> DeleteAsync(Channel channel, string mediaId, CancellationToken cancellationToken)
    {
        if (!await mediaStore.DeleteMediaAsync(channel.Id, mediaId, cancellationToken))
        {
            return false;
        }
        files.Delete(mediaId);
        return true;
    }
}
