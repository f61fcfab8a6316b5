using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client.Gateway;

namespace Waba.Cli.Commands;

/// <summary><c>waba numbers</c> and <c>waba keys create|list|revoke</c>: the gateway's admin API.</summary>
internal static class AdminCommands
{
    private static readonly Argument<string> NumberId = new("number-id") { Description = "The gateway's id of the number (see 'waba numbers')" };

    public static Command Numbers()
    {
        var waba = new Option<string?>("--waba") { Description = "Only this WABA's numbers" };
        var command = new Command("numbers", "List the gateway's numbers (admin)") { waba };
        command.SetAction(async (parse, cli, ct) =>
        {
            var admin = cli.Settings.Admin(cli.Http);
            var all = new List<GatewayNumber>();
            string? cursor = null;
            do
            {
                var page = await admin.ListNumbersAsync(parse.GetValue(waba), cursor, 200, ct);
                all.AddRange(page.Data);
                cursor = page.NextCursor;
            }
            while (cursor is not null);
            cli.Output.Write(new GatewayPage<GatewayNumber>(all, null), CliJsonContext.Default.GatewayPageGatewayNumber, page =>
            {
                var table = CliOutput.Table("id", "phone number", "hosting", "upstream", "phone_number_id", "waba");
                foreach (var n in page.Data)
                {
                    table.AddRow(n.Id, n.PhoneNumber, n.HostingType, n.Upstream, n.PhoneNumberId, n.WabaId);
                }
                return table;
            });
            return 0;
        });
        return command;
    }

    public static Command Keys()
    {
        var keys = new Command("keys", "Create, list and revoke a number's API keys (admin)");

        var create = new Command("create", "Create an API key; it is shown this once") { NumberId };
        create.SetAction(async (parse, cli, ct) =>
        {
            var created = await cli.Settings.Admin(cli.Http).CreateApiKeyAsync(parse.GetValue(NumberId)!, ct);
            cli.Output.Write(created, CliJsonContext.Default.GatewayApiKeyCreated, k => new Rows(
                CliOutput.Fields(("key id", k.Id), ("api key", k.ApiKey), ("phone_number_id", k.PhoneNumberId)),
                new Markup("[yellow]Store the key now: the gateway keeps only its hash.[/]")));
            return 0;
        });

        var list = new Command("list", "List a number's keys (never their secrets)") { NumberId };
        list.SetAction(async (parse, cli, ct) =>
        {
            var listed = await cli.Settings.Admin(cli.Http).ListApiKeysAsync(parse.GetValue(NumberId)!, ct);
            cli.Output.Write(listed, CliJsonContext.Default.IReadOnlyListGatewayApiKey, all =>
            {
                var table = CliOutput.Table("key id", "prefix", "created", "state");
                foreach (var k in all)
                {
                    table.AddRow(k.Id, k.Prefix + "…", k.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                        k.Active ? "active" : $"revoked {k.RevokedAt?.ToString("u", CultureInfo.InvariantCulture)}");
                }
                return table;
            });
            return 0;
        });

        var keyId = new Argument<string>("key-id") { Description = "The key's id (see 'waba keys list')" };
        var revoke = new Command("revoke", "Revoke a key: the next request with it is refused") { NumberId, keyId };
        revoke.SetAction(async (parse, cli, ct) =>
        {
            await cli.Settings.Admin(cli.Http).RevokeApiKeyAsync(parse.GetValue(NumberId)!, parse.GetValue(keyId)!, ct);
            cli.Output.Write(new Dictionary<string, string> { ["revoked"] = parse.GetValue(keyId)! }, CliJsonContext.Default.DictionaryStringString,
                r => new Markup($"Revoked {Markup.Escape(r["revoked"])}."));
            return 0;
        });

        keys.Subcommands.Add(create);
        keys.Subcommands.Add(list);
        keys.Subcommands.Add(revoke);
        return keys;
    }
}
