// The gateway's rule files (linked in Waba.Client.csproj) report errors as Waba.Gateway.Dialects.ApiError; this is
// the part of that type they use, internal to the client, so the rules compile here unchanged.
namespace Waba.Gateway.Dialects;

internal enum ApiErrorKind
{
    RequiredParameterMissing,
    InvalidParameter,
    UnsupportedMessageType,
}

internal sealed record ApiError(ApiErrorKind Kind, string Details)
{
    public static ApiError Missing(string path) => new(ApiErrorKind.RequiredParameterMissing, path);
    public static ApiError Invalid(string path, string reason) => new(ApiErrorKind.InvalidParameter, $"{path}: {reason}");
}
