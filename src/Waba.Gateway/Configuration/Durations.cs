using System.Globalization;

namespace Waba.Gateway.Configuration;

/// <summary>Parses the short durations used in configuration: <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, <c>1d</c>, or <c>hh:mm:ss</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim();
        var (unit, scale) = s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (2, 1.0)
            : s.EndsWith('s') ? (1, 1_000.0)
            : s.EndsWith('m') ? (1, 60_000.0)
            : s.EndsWith('h') ? (1, 3_600_000.0)
            : s.EndsWith('d') ? (1, 86_400_000.0)
            : (0, 0.0);
        if (unit == 0)
        {
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        }
        if (!double.TryParse(s[..^unit], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        value = TimeSpan.FromMilliseconds(number * scale);
        return true;
    }

    public static TimeSpan Parse(string text, string key) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"{key}: '{text}' is not a duration (use for example 500ms, 5s, 2m, 1h).");

    /// <summary>Adds a failure naming <paramref name="key"/> when <paramref name="text"/> is not a duration.</summary>
    public static void Check(string key, string? text, ICollection<string> failures)
    {
        if (!TryParse(text, out _))
        {
            failures.Add($"{key}: '{text}' is not a duration (use for example 500ms, 5s, 2m, 1h).");
        }
    }
}
