namespace Waba.Client.Media;

/// <summary>What WhatsApp knows of an uploaded or received media file; <see cref="Url"/> is where its bytes are.</summary>
public sealed record MediaInfo(string Id, string? Url, string? MimeType, string? Sha256, long? FileSize);

internal sealed record MediaIdResponse(string Id);

internal sealed record OnPremiseMediaResponse(IReadOnlyList<MediaIdResponse>? Media);

/// <summary>A media file's bytes as a stream, with its type. Dispose it when read.</summary>
public sealed class MediaDownload(HttpResponseMessage response, Stream content) : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content;
    public string? MimeType { get; } = response.Content.Headers.ContentType?.MediaType;
    public long? Length { get; } = response.Content.Headers.ContentLength;

    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
    }
}
