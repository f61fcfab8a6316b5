namespace Waba.Gateway.Dialects;

/// <summary>What went wrong with a WhatsApp API request, independent of the dialect that renders it.</summary>
public enum ApiErrorKind
{
    MalformedRequest,
    RequiredParameterMissing,
    InvalidParameter,
    UnsupportedMessageType,
    ResourceNotFound,
    ThroughputExceeded,
    PairRateLimited,
    TemplateNotFound,
    TemplateParameterMismatch,
    MediaRejected,

    /// <summary>The business blocked this user: WhatsApp neither delivers their messages nor lets the business write to them.</summary>
    RecipientBlocked,

    /// <summary>The number is deregistered (Graph <c>/deregister</c>): it sends nothing until registered again.</summary>
    NotRegistered,

    /// <summary>The PIN given to <c>/register</c> is not the number's two-step verification PIN.</summary>
    PinMismatch,

    /// <summary>The code given to <c>/verify_code</c> is not the one sent.</summary>
    VerificationCodeWrong,

    /// <summary>Meta refused the request; its code, message and trace id are passed on as they came.</summary>
    Upstream,
    UpstreamUnavailable,
    UpstreamTimeout,

    /// <summary>Something failed inside the gateway; <see cref="ApiError.Details"/> carries the trace id to quote.</summary>
    Internal,
}

/// <summary>One error of the WhatsApp API layer. <see cref="Details"/> names the offending field by its JSON path.</summary>
public sealed record ApiError(ApiErrorKind Kind, string Details)
{
    /// <summary>For <see cref="ApiErrorKind.Upstream"/>: Meta's code, message, HTTP status and trace id.</summary>
    public (int Code, string Message, int HttpStatus, string? TraceId)? FromUpstream { get; init; }

    public static ApiError Missing(string path) => new(ApiErrorKind.RequiredParameterMissing, path);

    /// <summary>An error with Meta's own wording for a case the kinds above do not name (a field a Graph node does not have).</summary>
    public static ApiError Worded(int code, string message, string details, int httpStatus = 400) =>
        new(ApiErrorKind.Upstream, details) { FromUpstream = (code, message, httpStatus, null) };
    public static ApiError Invalid(string path, string reason) => new(ApiErrorKind.InvalidParameter, $"{path}: {reason}");

    /// <summary>The HTTP status in the On-Premise dialect: its throttling answers (1015, 471) were 429s.</summary>
    public int OnPremiseHttpStatus => Kind is ApiErrorKind.ThroughputExceeded or ApiErrorKind.PairRateLimited ? 429 : Describe().HttpStatus;

    /// <summary>WhatsApp's code, title and HTTP status (Cloud's) for this error in each dialect (wire-format.md).</summary>
    public (int CloudCode, string CloudTitle, int OnPremiseCode, string OnPremiseTitle, int HttpStatus) Describe() => Kind switch
    {
        ApiErrorKind.MalformedRequest => (100, "Invalid parameter", 1009, "Parameter value is not valid", 400),
        ApiErrorKind.RequiredParameterMissing => (131008, "Required parameter is missing", 1008, "Required parameter is missing", 400),
        ApiErrorKind.InvalidParameter => (131009, "Parameter value is not valid", 1009, "Parameter value is not valid", 400),
        ApiErrorKind.UnsupportedMessageType => (131051, "Unsupported message type", 501, "Unsupported message type", 400),
        ApiErrorKind.ResourceNotFound => (100, "Invalid parameter", 1006, "Resource not found", 404),
        // Meta's current error table answers throttling with HTTP 400; clients branch on the code (130429, 131056).
        ApiErrorKind.ThroughputExceeded => (130429, "Rate limit hit", 1015, "Too many requests", 400),
        ApiErrorKind.Upstream => (FromUpstream!.Value.Code, FromUpstream.Value.Message, FromUpstream.Value.Code, FromUpstream.Value.Message, FromUpstream.Value.HttpStatus),
        ApiErrorKind.UpstreamUnavailable => (131000, "Something went wrong", 1011, "Service not ready", 502),
        ApiErrorKind.UpstreamTimeout => (131000, "Something went wrong", 1014, "Internal error", 504),
        ApiErrorKind.Internal => (131000, "Something went wrong", 1014, "Internal error", 500),
        ApiErrorKind.MediaRejected => (131053, "Media upload error", 1009, "Parameter value is not valid", 400),
        ApiErrorKind.TemplateNotFound => (132001, "Template name does not exist in the translation", 2001, "Template missing", 404),
        ApiErrorKind.TemplateParameterMismatch => (132000, "Number of parameters does not match the expected number of params", 2000, "Template param count mismatch", 400),
        ApiErrorKind.PairRateLimited => (131056, "(Business Account, Consumer Account) pair rate limit hit", 471, "Spam Rate limit hit", 400),
        ApiErrorKind.RecipientBlocked => (131026, "Message undeliverable", 1013, "User is not valid", 400),
        ApiErrorKind.NotRegistered => (133010, "Account not registered", 1011, "Service not ready", 400),
        ApiErrorKind.PinMismatch => (133005, "Two step verification PIN mismatch", 1009, "Parameter value is not valid", 400),
        ApiErrorKind.VerificationCodeWrong => (136025, "Verify code error", 1009, "Parameter value is not valid", 400),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };
}
