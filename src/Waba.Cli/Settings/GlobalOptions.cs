using System.CommandLine;

namespace Waba.Cli.Settings;

/// <summary>The options every command takes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Url = new("--url")
    {
        Description = $"The gateway or API base address [env WABA_URL; default {CliSettings.DefaultUrl}]",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "The number's API key (D360-API-KEY), or the Graph token [env WABA_API_KEY]",
        Recursive = true,
    };

    public static readonly Option<string?> Dialect = new("--dialect")
    {
        Description = "cloud, on-premise or graph [env WABA_DIALECT; default cloud]",
        Recursive = true,
    };

    public static readonly Option<string?> PhoneNumberId = new("--phone-number-id")
    {
        Description = "Graph dialect: the number's phone number id [env WABA_PHONE_NUMBER_ID]",
        Recursive = true,
    };

    public static readonly Option<string?> AdminToken = new("--admin-token")
    {
        Description = "The gateway's Admin:Token, for admin commands [env WABA_ADMIN_TOKEN]",
        Recursive = true,
    };

    public static readonly Option<string?> Profile = new("--profile")
    {
        Description = "The profile of ~/.config/waba/config.json to use [env WABA_PROFILE; default default]",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for scripts instead of tables",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Url, ApiKey, Dialect, PhoneNumberId, AdminToken, Profile, Json];
}
