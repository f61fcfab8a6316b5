using Waba.Gateway.Dialects;

namespace Waba.Gateway.Webhooks;

/// <summary>Checks a receiver URL when it is configured, so a bad one is refused at once rather than failing later.</summary>
public static class WebhookUrlRules
{
    public static ApiError? Check(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return ApiError.Missing("url");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return ApiError.Invalid("url", "must be an absolute http or https URL");
        }
        if (uri.Fragment.Length > 0)
        {
            return ApiError.Invalid("url", "must not contain a fragment (#...)");
        }
        return null;
    }
}
