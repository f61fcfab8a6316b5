using System.Globalization;
using System.Text.Json;

namespace Waba.Gateway.Dialects;

/// <summary>
/// Why a request body is not JSON, in plain words with where (line and column, from 1): what a person fixes, without the
/// .NET reader's own advice ("Change the reader options", its zero-based counters).
/// </summary>
public static class JsonErrors
{
    public static string Describe(JsonException e)
    {
        var text = e.Message;
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                text = text[..at];
            }
        }
        var reason = text switch
        {
            _ when text.Contains("trailing comma", StringComparison.Ordinal) => "a trailing comma is not allowed",
            _ when text.Contains("comment", StringComparison.OrdinalIgnoreCase) || text.StartsWith("'/' is invalid", StringComparison.Ordinal) => "comments are not allowed",
            _ when text.Contains("Expected depth to be zero", StringComparison.Ordinal) => "the body ends before every object and array is closed",
            _ when text.Contains("contains no data", StringComparison.Ordinal) || text.Contains("input does not contain any JSON", StringComparison.Ordinal) =>
                "the body is empty",
            _ when text.Contains("could not be converted", StringComparison.Ordinal) => "a value has the wrong type",
            _ => text.Replace("Change the reader options.", "", StringComparison.Ordinal).Trim().TrimEnd('.'),
        };
        var where = e.LineNumber is { } line
            ? $" (line {(line + 1).ToString(CultureInfo.InvariantCulture)}, column {((e.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}"
              + (e.Path is { Length: > 1 } path ? $", at {path}" : "") + ")"
            : "";
        return $"The request body is not valid JSON: {reason}{where}.";
    }
}
