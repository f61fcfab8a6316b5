using System.Net;

namespace Waba.Client;

/// <summary>
/// WhatsApp refused a request, or the client refused to make it. <see cref="Code"/>, <see cref="Title"/> and
/// <see cref="Details"/> are WhatsApp's own (Cloud codes such as 131009, On-Premise codes such as 1009), whichever
/// dialect answered; <see cref="StatusCode"/> is <see langword="null"/> when the message was checked on the client
/// and never sent.
/// </summary>
public sealed class WabaApiException : Exception
{
    /// <summary>Codes that mean "try again later": throttling, pair rate limit, service unavailable, not ready.</summary>
    private static readonly HashSet<int> TransientCodes = [4, 80007, 130429, 131000, 131016, 131056, 133004, 1011, 1014, 1015, 471];

    public WabaApiException(int code, string title, string? details, HttpStatusCode? statusCode, string? fbtraceId = null, int? subcode = null)
        : base(Describe(code, title, details))
    {
        Code = code;
        Title = title;
        Details = details;
        StatusCode = statusCode;
        FbtraceId = fbtraceId;
        Subcode = subcode;
    }

    public WabaApiException() : this(0, "Unknown error", null, null)
    {
    }

    public WabaApiException(string message) : this(0, message, null, null)
    {
    }

    public WabaApiException(string message, Exception innerException) : base(message, innerException)
    {
        Title = message;
    }

    /// <summary>WhatsApp's error code (131009, 1009, 190, …), 0 when the answer carried none.</summary>
    public int Code { get; }

    /// <summary>WhatsApp's title for the code, e.g. "Parameter value is not valid".</summary>
    public string Title { get; } = string.Empty;

    /// <summary>What exactly was wrong, naming the field by JSON path where WhatsApp does.</summary>
    public string? Details { get; }

    /// <summary>The HTTP status of the answer; <see langword="null"/> when the request was never sent.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Meta's trace id (Cloud and Graph answers), to quote to support.</summary>
    public string? FbtraceId { get; }

    /// <summary>Meta's <c>error_subcode</c>, when there is one.</summary>
    public int? Subcode { get; }

    /// <summary>The same request may succeed later: throttling, a pair rate limit, a service that is not ready.</summary>
    public bool IsTransient => TransientCodes.Contains(Code)
        || StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The request was refused by the client's own checks and never sent.</summary>
    public bool IsClientSide => StatusCode is null && Code != 0;

    private static string Describe(int code, string title, string? details) =>
        (code == 0 ? title : $"({code}) {title}") + (string.IsNullOrEmpty(details) ? string.Empty : $": {details}");
}
