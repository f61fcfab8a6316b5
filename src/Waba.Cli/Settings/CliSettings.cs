using System.CommandLine;
using Waba.Client;
using Waba.Client.Gateway;

namespace Waba.Cli.Settings;

/// <summary>
/// Where the CLI connects and with what: each value from its flag, else its environment variable, else the profile
/// in <c>~/.config/waba/config.json</c>, else the default. Keys are never printed.
/// </summary>
internal sealed class CliSettings
{
    public const string DefaultUrl = "http://127.0.0.1:5055";

    public required Uri Url { get; init; }
    public string? ApiKey { get; init; }
    public WabaDialect Dialect { get; init; }
    public string? PhoneNumberId { get; init; }
    public string? WabaId { get; init; }
    public string? AdminToken { get; init; }
    public string? WebhookSecret { get; init; }
    public bool Json { get; init; }

    public static CliSettings From(ParseResult parse)
    {
        var profileName = parse.GetValue(GlobalOptions.Profile) ?? Environment.GetEnvironmentVariable("WABA_PROFILE") ?? "default";
        var profile = ProfileFile.Load().Profile(profileName);
        string? Pick(Option<string?> flag, string variable, string? fromProfile) =>
            parse.GetValue(flag) is { Length: > 0 } value ? value : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } env ? env : fromProfile;

        var url = Pick(GlobalOptions.Url, "WABA_URL", profile?.Url) ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliUsageException($"--url must be an http(s) address, not '{url}'.");
        }
        var dialectText = Pick(GlobalOptions.Dialect, "WABA_DIALECT", profile?.Dialect) ?? "cloud";
        var dialect = dialectText.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "CLOUD" => WabaDialect.Cloud,
            "ONPREMISE" => WabaDialect.OnPremise,
            "GRAPH" => WabaDialect.Graph,
            _ => throw new CliUsageException($"--dialect must be cloud, on-premise or graph, not '{dialectText}'."),
        };
        return new CliSettings
        {
            Url = uri,
            ApiKey = Pick(GlobalOptions.ApiKey, "WABA_API_KEY", profile?.ApiKey),
            Dialect = dialect,
            PhoneNumberId = Pick(GlobalOptions.PhoneNumberId, "WABA_PHONE_NUMBER_ID", profile?.PhoneNumberId),
            WabaId = profile?.WabaId,
            AdminToken = Pick(GlobalOptions.AdminToken, "WABA_ADMIN_TOKEN", profile?.AdminToken),
            WebhookSecret = Environment.GetEnvironmentVariable("WABA_WEBHOOK_SECRET") is { Length: > 0 } secret ? secret : profile?.WebhookSecret,
            Json = parse.GetValue(GlobalOptions.Json),
        };
    }

    public WabaClient Client(HttpClient http, WabaDialect? dialect = null)
    {
        if (string.IsNullOrEmpty(ApiKey))
        {
            throw new CliUsageException("No API key: pass --api-key, set WABA_API_KEY, or save one with 'waba config set --api-key'.");
        }
        return new WabaClient(http, new WabaClientOptions
        {
            BaseAddress = Url,
            ApiKey = ApiKey,
            Dialect = dialect ?? Dialect,
            PhoneNumberId = PhoneNumberId,
            WabaId = WabaId,
        });
    }

    public GatewayAdminClient Admin(HttpClient http) => string.IsNullOrEmpty(AdminToken)
        ? throw new CliUsageException("No admin token: pass --admin-token, set WABA_ADMIN_TOKEN, or save one with 'waba config set --admin-token'.")
        : new GatewayAdminClient(http, Url, AdminToken);
}

/// <summary>Bad arguments or missing configuration: exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
