using System.Text.Json;
using Waba.Gateway.Dialects;

namespace Waba.Gateway.Messaging.Validation;

/// <summary>
/// Reads one field of a JSON object the way WhatsApp checks it: absent (or null) is "required parameter missing",
/// the wrong kind or an out-of-range value is "parameter value is not valid", and both name the field's JSON path.
/// </summary>
internal static class Fields
{
    public static bool Present(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public static ApiError? Object(JsonElement parent, string name, string path, out JsonElement value)
    {
        if (!Present(parent, name, out value))
        {
            return ApiError.Missing(path);
        }
        return value.ValueKind == JsonValueKind.Object ? null : ApiError.Invalid(path, "must be an object");
    }

    public static ApiError? OptionalObject(JsonElement parent, string name, string path, out JsonElement value) =>
        Present(parent, name, out value) && value.ValueKind != JsonValueKind.Object ? ApiError.Invalid(path, "must be an object") : null;

    public static ApiError? Array(JsonElement parent, string name, string path, int min, int max, out JsonElement value)
    {
        if (!Present(parent, name, out value))
        {
            return ApiError.Missing(path);
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            return ApiError.Invalid(path, "must be an array");
        }
        var count = value.GetArrayLength();
        return count < min || count > max
            ? ApiError.Invalid(path, min == max ? $"must have {min} items" : $"must have {min} to {max} items, not {count}")
            : null;
    }

    public static ApiError? OptionalArray(JsonElement parent, string name, string path, int max, out JsonElement value) =>
        Present(parent, name, out value) ? Array(parent, name, path, 0, max, out value) : null;

    public static ApiError? String(JsonElement parent, string name, string path, int max, out string value, int min = 1)
    {
        value = string.Empty;
        if (!Present(parent, name, out var element))
        {
            return ApiError.Missing(path);
        }
        return StringValue(element, path, min, max, out value);
    }

    public static ApiError? OptionalString(JsonElement parent, string name, string path, int max, out string? value)
    {
        value = null;
        if (!Present(parent, name, out var element))
        {
            return null;
        }
        var error = StringValue(element, path, 0, max, out var text);
        value = text;
        return error;
    }

    public static ApiError? StringValue(JsonElement element, string path, int min, int max, out string value)
    {
        value = string.Empty;
        if (element.ValueKind != JsonValueKind.String)
        {
            return ApiError.Invalid(path, "must be a string");
        }
        value = element.GetString()!;
        // WhatsApp counts characters as UTF-16 code units do for most scripts; we count the same way.
        if (value.Length < min)
        {
            return min == 1 ? ApiError.Invalid(path, "must not be empty") : ApiError.Invalid(path, $"must be at least {min} characters");
        }
        return value.Length > max ? ApiError.Invalid(path, $"must be at most {max} characters, not {value.Length}") : null;
    }

    public static ApiError? OneOf(JsonElement parent, string name, string path, IReadOnlyCollection<string> allowed, out string value)
    {
        var error = String(parent, name, path, 100, out value);
        if (error is not null)
        {
            return error;
        }
        return allowed.Contains(value) ? null : ApiError.Invalid(path, $"must be one of {string.Join(", ", allowed)}, not '{value}'");
    }

    public static ApiError? Number(JsonElement parent, string name, string path, double min, double max, out double value)
    {
        value = 0;
        if (!Present(parent, name, out var element))
        {
            return ApiError.Missing(path);
        }
        // WhatsApp also takes coordinates written as strings.
        var ok = element.ValueKind == JsonValueKind.Number ? element.TryGetDouble(out value)
            : element.ValueKind == JsonValueKind.String && double.TryParse(element.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
        if (!ok)
        {
            return ApiError.Invalid(path, "must be a number");
        }
        return value < min || value > max ? ApiError.Invalid(path, $"must be between {min} and {max}") : null;
    }

    public static ApiError? OptionalBoolean(JsonElement parent, string name, string path) =>
        Present(parent, name, out var value) && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            ? ApiError.Invalid(path, "must be true or false")
            : null;

    public static ApiError? HttpUrl(string value, string path) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? null
            : ApiError.Invalid(path, "must be an absolute http or https URL");

    /// <summary>The first error of several checks, in order.</summary>
    public static ApiError? First(params Func<ApiError?>[] checks)
    {
        foreach (var check in checks)
        {
            if (check() is { } error)
            {
                return error;
            }
        }
        return null;
    }
}
