using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Waba.Gateway.Media;

/// <summary>Where media bytes live. Section <c>Media</c>.</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>The folder for media files, relative to the working directory. Shared storage when several instances run. Default <c>data/media</c>.</summary>
    public string Path { get; set; } = "data/media";
}

/// <summary>The outcome of storing an upload.</summary>
public sealed record StoredFile(long Size, string Sha256, bool TooLarge);

/// <summary>
/// Media bytes on disk, one file per id. Uploads are streamed to a temporary file while their SHA-256 is computed and
/// their size checked, then renamed into place: never held whole in memory, never half-visible.
/// </summary>
public sealed class MediaFiles
{
    private readonly string _folder;

    public MediaFiles(IOptions<MediaOptions> options)
    {
        _folder = Path.GetFullPath(options.Value.Path);
        Directory.CreateDirectory(_folder);
    }

    public async Task<StoredFile> SaveAsync(string id, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(_folder, id + ".tmp");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    file.Close();
                    File.Delete(temporary);
                    return new StoredFile(size, string.Empty, TooLarge: true);
                }
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            await file.FlushAsync(cancellationToken);
        }
        File.Move(temporary, PathOf(id));
        return new StoredFile(size, Convert.ToHexStringLower(hash.GetHashAndReset()), TooLarge: false);
    }

    public bool IsAnimatedWebp(string id)
    {
        Span<byte> head = stackalloc byte[32];
        using var file = File.OpenRead(PathOf(id));
        return MediaKinds.IsAnimatedWebp(head[..file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)]);
    }

    public Stream? Open(string id) =>
        File.Exists(PathOf(id)) ? new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous) : null;

    public void Delete(string id) => File.Delete(PathOf(id));

    private string PathOf(string id) => Path.Combine(_folder, id);
}
