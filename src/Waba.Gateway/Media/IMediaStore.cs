namespace Waba.Gateway.Media;

/// <summary>What the gateway knows of each number's media files (the bytes live in <see cref="MediaFiles"/>).</summary>
public interface IMediaStore
{
    Task SaveMediaAsync(MediaRecord media, CancellationToken cancellationToken);

    /// <summary>A media file of this number, or null (another number's media is not found either).</summary>
    Task<MediaRecord?> FindMediaAsync(string channelId, string mediaId, CancellationToken cancellationToken);

    Task<bool> DeleteMediaAsync(string channelId, string mediaId, CancellationToken cancellationToken);
}
