using Microsoft.Extensions.Options;

namespace Waba.Gateway.Sandbox;

/// <summary>Who the sandbox's simulated users are: everyone, except numbers matching the configured patterns.</summary>
public sealed class SimulatedUsers(IOptions<SandboxOptions> options)
{
    private readonly string[] _notOnWhatsApp = Split(options.Value.NotOnWhatsApp);
    private readonly string[] _neverRead = Split(options.Value.NeverRead);

    public bool IsOnWhatsApp(string waId) => !_notOnWhatsApp.Any(p => Matches(p, waId));

    public bool Reads(string waId) => !_neverRead.Any(p => Matches(p, waId));

    private static string[] Split(string? patterns) =>
        (patterns ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.TrimStart('+')).ToArray();

    /// <summary><c>999*</c> is a prefix, <c>*0000</c> a suffix, <c>*12*</c> a substring, anything else the whole number.</summary>
    public static bool Matches(string pattern, string waId) => (pattern.StartsWith('*'), pattern.EndsWith('*')) switch
    {
        (true, true) when pattern.Length >= 2 => waId.Contains(pattern[1..^1], StringComparison.Ordinal),
        (false, true) => waId.StartsWith(pattern[..^1], StringComparison.Ordinal),
        (true, false) => waId.EndsWith(pattern[1..], StringComparison.Ordinal),
        _ => waId == pattern,
    };
}
