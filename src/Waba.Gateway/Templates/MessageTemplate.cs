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

    /// <summary>How many parameters a component of this type expects: the distinct <c>{{n}}</c> (or <c>{{name}}</c>) in its text.</summary>
    public int ParameterCount(string componentType) => Placeholders(componentType).Count;

    /// <summary>The distinct placeholders of a component's text in order of appearance: <c>1</c>, <c>2</c> … or names such as <c>first_name</c>.</summary>
    public IReadOnlyList<string> Placeholders(string componentType) =>
        TextOf(componentType) is { } text ? [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)] : [];

    /// <summary>
    /// Whether the placeholders are named (<c>parameter_format: NAMED</c>): a send then gives each parameter its
    /// <c>parameter_name</c>, in any order, instead of filling <c>{{1}}</c>, <c>{{2}}</c> by position.
    /// </summary>
    public static bool AreNamed(IReadOnlyList<string> placeholders) => placeholders.Any(p => !p.All(char.IsAsciiDigit));

    /// <summary>The component's text with <c>{{n}}</c> replaced by the n-th value and <c>{{name}}</c> by the value of that name, as the user reads it.</summary>
    public string? Render(string componentType, IReadOnlyList<TemplateValue> values) =>
        TextOf(componentType) is { } text
            ? Placeholder().Replace(text, m =>
            {
                var placeholder = m.Groups[1].Value;
                if (placeholder.All(char.IsAsciiDigit))
                {
                    return int.TryParse(placeholder, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= values.Count ? values[n - 1].Text : m.Value;
                }
                return values.FirstOrDefault(v => v.Name == placeholder)?.Text ?? m.Value;
            })
            : null;

    private string? TextOf(string componentType)
    {
        using var document = JsonDocument.Parse(Components);
        foreach (var component in document.RootElement.EnumerateArray())
        {
            if (component.TryGetProperty("type", out var type) && string.Equals(type.GetString(), componentType, StringComparison.OrdinalIgnoreCase)
                && component.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                return text.GetString();
            }
        }
        return null;
    }

    [GeneratedRegex(@"\{\{\s*(\w+)\s*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>One parameter of a template send: its <c>parameter_name</c> (named templates) and the text it shows.</summary>
public sealed record TemplateValue(string? Name, string Text);
