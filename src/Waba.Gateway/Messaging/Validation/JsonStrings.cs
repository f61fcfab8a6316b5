using System.Buffers;
using System.Text.Json;
using Waba.Gateway.Dialects;

namespace Waba.Gateway.Messaging.Validation;

/// <summary>
/// JSON may escape a lone UTF-16 surrogate (<c>"\ud800"</c>) that no .NET string can hold; reading such a value throws.
/// Requests are checked once, before validation, and refused naming the field.
/// </summary>
internal static class JsonStrings
{
    /// <summary>Null when every string and property name reads; otherwise the error naming the first one that does not.</summary>
    public static ApiError? FindUnreadable(ReadOnlySpan<byte> json, JsonElement root)
    {
        // Only escaped strings can hide a lone surrogate (raw bytes were checked as UTF-8 by the parser), so the
        // common case is one allocation-free pass; the path is looked for only when something is wrong.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var broken = false;
        char[]? buffer = null;
        try
        {
            while (!broken && reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                    if (buffer is null || buffer.Length < length)
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<char>.Shared.Return(buffer);
                        }
                        buffer = ArrayPool<char>.Shared.Rent(length);
                    }
                    try
                    {
                        reader.CopyString(buffer);
                    }
                    catch (InvalidOperationException)
                    {
                        broken = true;
                    }
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
        return broken ? ApiError.Invalid(PathOf(root, "") ?? "(request body)", "is not valid text: it holds an unpaired UTF-16 surrogate escape such as \\ud800") : null;
    }

    private static string? PathOf(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : (path.Length == 0 ? "(request body)" : path);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path.Length == 0 ? "(a property name)" : $"{path} (a property name)";
                    }
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (PathOf(property.Value, childPath) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (PathOf(item, $"{path}[{i++}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Readable(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
