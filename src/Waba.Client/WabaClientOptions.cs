namespace Waba.Client;

/// <summary>Which of WhatsApp's API dialects the client speaks.</summary>
public enum WabaDialect
{
    /// <summary>360dialog's Cloud API (<c>POST /messages</c>, <c>D360-API-KEY</c>); also a Waba Gateway Cloud number.</summary>
    Cloud,

    /// <summary>The On-Premise API (<c>POST /v1/messages</c>, <c>D360-API-KEY</c>), as 360dialog and the gateway keep it.</summary>
    OnPremise,

    /// <summary>Meta's Graph API (<c>POST /{version}/{phone-number-id}/messages</c>, <c>Authorization: Bearer</c>).</summary>
    Graph,
}

/// <summary>Where the client sends and how it authenticates; bound from configuration by <c>AddWabaClient</c>.</summary>
public sealed class WabaClientOptions
{
    /// <summary>360dialog's Cloud API.</summary>
    public static readonly Uri ThreeSixtyDialogCloud = new("https://waba-v2.360dialog.io/");

    /// <summary>360dialog's On-Premise API.</summary>
    public static readonly Uri ThreeSixtyDialogOnPremise = new("https://waba.360dialog.io/");

    /// <summary>Meta's Graph API.</summary>
    public static readonly Uri MetaGraph = new("https://graph.facebook.com/");

    /// <summary>The API's base address: a gateway (<c>http://127.0.0.1:5055</c>), 360dialog's, or Meta's.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The number's API key (<c>D360-API-KEY</c>), or the Graph access token.</summary>
    public string? ApiKey { get; set; }

    public WabaDialect Dialect { get; set; } = WabaDialect.Cloud;

    /// <summary>Graph only: the phone number id messages are sent from.</summary>
    public string? PhoneNumberId { get; set; }

    /// <summary>Graph only: the WABA id, for templates.</summary>
    public string? WabaId { get; set; }

    /// <summary>Graph only: the API version in the path.</summary>
    public string GraphVersion { get; set; } = "v26.0";

    /// <summary>Check every message with WhatsApp's rules before sending it (a refused message is never sent).</summary>
    public bool ValidateBeforeSend { get; set; } = true;

    /// <summary>How often a request whose connection could not be opened is tried again; nothing reached the server.</summary>
    public int ConnectRetries { get; set; } = 2;

    internal Uri RequireBaseAddress() => BaseAddress ?? (Dialect switch
    {
        WabaDialect.OnPremise => ThreeSixtyDialogOnPremise,
        WabaDialect.Graph => MetaGraph,
        _ => ThreeSixtyDialogCloud,
    });
}
