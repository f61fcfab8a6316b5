namespace Waba.Gateway.Media;

/// <summary>WhatsApp's media types and size limits per kind (wire-format.md).</summary>
public static class MediaKinds
{
    private const long MB = 1024 * 1024;

    private static readonly Dictionary<string, (string Kind, long MaxBytes)> ByMimeType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ("image", 5 * MB),
        ["image/png"] = ("image", 5 * MB),
        ["video/mp4"] = ("video", 16 * MB),
        ["video/3gpp"] = ("video", 16 * MB),
        ["audio/aac"] = ("audio", 16 * MB),
        ["audio/amr"] = ("audio", 16 * MB),
        ["audio/mpeg"] = ("audio", 16 * MB),
        ["audio/mp4"] = ("audio", 16 * MB),
        ["audio/ogg"] = ("audio", 16 * MB),
        // Animated stickers may be 500 KB; a static one only 100 KB (MediaLibrary looks inside the file).
        ["image/webp"] = ("sticker", 500 * 1024),
        ["text/plain"] = ("document", 100 * MB),
        ["application/pdf"] = ("document", 100 * MB),
        ["application/msword"] = ("document", 100 * MB),
        ["application/vnd.ms-excel"] = ("document", 100 * MB),
        ["application/vnd.ms-powerpoint"] = ("document", 100 * MB),
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ("document", 100 * MB),
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ("document", 100 * MB),
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = ("document", 100 * MB),
    };

    /// <summary>The largest file of any kind; request bodies above it are refused before they are read.</summary>
    public const long LargestAllowed = 100 * MB;

    /// <summary>The kind and size limit for a MIME type (parameters such as <c>; codecs=opus</c> ignored), or null.</summary>
    public static (string Kind, long MaxBytes)? For(string? contentType)
    {
        var mime = (contentType ?? string.Empty).Split(';')[0].Trim();
        return ByMimeType.TryGetValue(mime, out var kind) ? kind : null;
    }

    public const long StaticStickerMaxBytes = 100 * 1024;

    /// <summary>True for a WebP whose extended header (<c>VP8X</c>) sets the animation flag.</summary>
    public static bool IsAnimatedWebp(ReadOnlySpan<byte> head) =>
        head.Length >= 21 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) && head[12..16].SequenceEqual("VP8X"u8)
        && (head[20] & 0x02) != 0;

    public static string Normalise(string contentType) => contentType.Split(';')[0].Trim().ToLowerInvariant();
}
