using System.Text.Json.Nodes;

namespace Waba.Gateway.Numbers;

/// <summary>A sandbox number's two-step verification PIN (its SHA-256, never the PIN) and its Graph <c>/settings</c>.</summary>
public sealed record NumberSettings(byte[]? PinHash, JsonObject Settings);

/// <summary>What the sandbox keeps of a number's management through Graph: the two-step PIN and the settings object.</summary>
public interface INumberSettingsStore
{
    Task<NumberSettings?> FindAsync(string channelId, CancellationToken cancellationToken);

    Task SavePinAsync(string channelId, byte[] pinHash, CancellationToken cancellationToken);

    Task SaveSettingsAsync(string channelId, JsonObject settings, CancellationToken cancellationToken);
}
