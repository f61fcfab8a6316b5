using System.Text.Json;
using System.Text.RegularExpressions;

namespace Waba.Gateway.Templates;

/// <summary>
/// A message template of a WABA in one language. The sandbox decides at <see cref="ApprovedAt"/>: approved, or
/// rejected when its review found <see cref="RejectedReason"/>.
/// </summary>
/// <param name="Components">The components as submitted (JSON array).</param>
public sealed partial record MessageTemplate(
    string WabaId,
    string Name,
    string Language,
    string Category,
    string Components,
    DateTimeOffset CreatedAt,
    DateTimeOffset ApprovedAt,
    string? RejectedReason = null)
{
    public string StatusAt(DateTimeOffset now) => now < ApprovedAt ? "submitted" : RejectedReason is null ? "approved" : "rejected";

    /// <summary>How many parameters a component of this type expects: the distinct <c>{{n}}</c> in its text.</summary>
    public int ParameterCount(string componentType)
    {
        using var document = JsonDocument.Parse(Components);
        foreach (var component in document.RootElement.EnumerateArray())
        {
            if (component.TryGetProperty("type", out var type) && string.Equals(type.GetString(), componentType, StringComparison.OrdinalIgnoreCase)
                && component.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                return Placeholder().Matches(text.GetString()!).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Count();
            }
        }
        return 0;
    }

    /// <summary>The component's text with <c>{{n}}</c> replaced by the n-th value, as the user reads it.</summary>
    public string? Render(string componentType, IReadOnlyList<string> values)
    {
        using var document = JsonDocument.Parse(Components);
        foreach (var component in document.RootElement.EnumerateArray())
        {
            if (component.TryGetProperty("type", out var type) && string.Equals(type.GetString(), componentType, StringComparison.OrdinalIgnoreCase)
                && component.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                return Placeholder().Replace(text.GetString()!, m =>
                    int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= values.Count ? values[n - 1] : m.Value);
            }
        }
        return null;
    }

    [GeneratedRegex(@"\{\{\s*(\w+)\s*\}\}")]
    private static partial Regex Placeholder();
}
