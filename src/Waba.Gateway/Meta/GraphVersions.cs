using System.Globalization;

namespace Waba.Gateway.Meta;

/// <summary>
/// Graph API versions and when Meta retires them (Meta's "Versions" page, read 2026-12-03): a version is available for
/// about two years after its release, and calls naming a retired one fail.
/// </summary>
public static class GraphVersions
{
    /// <summary>Expiry dates Meta has announced; a version not listed (newer) has none announced yet.</summary>
    private static readonly Dictionary<string, DateOnly> Expiry = new(StringComparer.Ordinal)
    {
        ["v17.0"] = new(2025, 9, 12),
        ["v18.0"] = new(2026, 1, 26),
        ["v19.0"] = new(2026, 5, 21),
        ["v20.0"] = new(2026, 9, 24),
        ["v21.0"] = new(2027, 1, 21),
        ["v22.0"] = new(2027, 5, 20),
        ["v23.0"] = new(2027, 10, 8),
        ["v24.0"] = new(2028, 2, 18),
        ["v25.0"] = new(2028, 7, 29),
    };

    /// <summary>The newest version this table knows was released (26.0, on 2026-07-29).</summary>
    public const string Latest = "v26.0";

    /// <summary>When <paramref name="version"/> stops working, if Meta has said: null for versions newer than this table, or unknown.</summary>
    public static DateOnly? ExpiresOn(string version)
    {
        if (Expiry.TryGetValue(version, out var date))
        {
            return date;
        }
        // Older than every listed version: long retired.
        return TryNumber(version, out var number) && number < 17 ? new DateOnly(2025, 1, 1) : null;
    }

    private static bool TryNumber(string version, out double number) =>
        double.TryParse(version.TrimStart('v'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
}
