using System.CommandLine;
using Waba.Cli.Output;
using Waba.Cli.Settings;

namespace Waba.Cli.Commands;

/// <summary><c>waba config set|show</c>: the profile file, so flags need not be repeated.</summary>
internal static class ConfigCommands
{
    public static Command Create()
    {
        var config = new Command("config", "Save connection settings in a profile (~/.config/waba/config.json)");
        var secret = new Option<string?>("--webhook-secret") { Description = "The secret 'webhook listen' checks signatures with" };
        var wabaId = new Option<string?>("--waba-id") { Description = "Graph dialect: the WABA id, for templates" };
        var set = new Command("set", "Save the given --url, --api-key, --dialect, --phone-number-id, --admin-token in the profile") { secret, wabaId };
        set.SetAction((parse, cli, ct) =>
        {
            var name = parse.GetValue(GlobalOptions.Profile) ?? "default";
            var file = ProfileFile.Load();
            var current = file.Profile(name) ?? new Profile();
            file.Profiles[name] = current with
            {
                Url = parse.GetValue(GlobalOptions.Url) ?? current.Url,
                ApiKey = parse.GetValue(GlobalOptions.ApiKey) ?? current.ApiKey,
                Dialect = parse.GetValue(GlobalOptions.Dialect) ?? current.Dialect,
                PhoneNumberId = parse.GetValue(GlobalOptions.PhoneNumberId) ?? current.PhoneNumberId,
                AdminToken = parse.GetValue(GlobalOptions.AdminToken) ?? current.AdminToken,
                WebhookSecret = parse.GetValue(secret) ?? current.WebhookSecret,
                WabaId = parse.GetValue(wabaId) ?? current.WabaId,
            };
            file.Save();
            cli.Output.Write(new Dictionary<string, string> { ["profile"] = name, ["file"] = ProfileFile.Path }, CliJsonContext.Default.DictionaryStringString,
                r => CliOutput.Fields(("saved profile", r["profile"]), ("file", r["file"])));
            return Task.FromResult(0);
        });

        var show = new Command("show", "Show the settings in effect and where each comes from; keys are masked");
        show.SetAction((parse, cli, ct) =>
        {
            var s = cli.Settings;
            var shown = new Dictionary<string, string>
            {
                ["url"] = s.Url.ToString(),
                ["dialect"] = s.Dialect.ToString(),
                ["api_key"] = Mask(s.ApiKey),
                ["admin_token"] = Mask(s.AdminToken),
                ["phone_number_id"] = s.PhoneNumberId ?? "",
                ["webhook_secret"] = Mask(s.WebhookSecret),
                ["profile_file"] = ProfileFile.Path,
            };
            cli.Output.Write(shown, CliJsonContext.Default.DictionaryStringString, d => CliOutput.Fields([.. d.Select(kv => (kv.Key, (string?)kv.Value))]));
            return Task.FromResult(0);
        });
        config.Subcommands.Add(set);
        config.Subcommands.Add(show);
        return config;
    }

    /// <summary>Enough to tell two keys apart, never enough to use one.</summary>
    private static string Mask(string? secret) => secret is null or { Length: 0 } ? "(not set)" : secret.Length <= 8 ? "****" : secret[..4] + "…" + "(set)";
}
