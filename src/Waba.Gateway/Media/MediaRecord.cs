namespace Waba.Gateway.Media;

/// <summary>A stored media file of one number. The bytes live in <see cref="MediaFiles"/>; <see cref="Sha256"/> is lower-case hex.</summary>
public sealed record MediaRecord(string Id, string ChannelId, string MimeType, string Sha256, long Size, string? Filename, DateTimeOffset CreatedAt);
