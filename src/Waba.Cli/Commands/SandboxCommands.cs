using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client;
using Waba.Client.Gateway;

namespace Waba.Cli.Commands;

/// <summary><c>waba sandbox say|tap|chat</c>: play a simulated WhatsApp user of a sandbox number.</summary>
internal static class SandboxCommands
{
    public static Command Create()
    {
        var sandbox = new Command("sandbox", "Play a simulated WhatsApp user of the key's sandbox number");

        // Positional like 'waba send text <to> <body>'; the earlier --from/--text options still work, unlisted.
        var (fromArgument, fromOption) = Positional("from", "The simulated user's phone number");
        var (textArgument, textOption) = Positional("text", "What the user writes");
        var name = new Option<string?>("--name") { Description = "The user's profile name" };
        var replyTo = new Option<string?>("--reply-to") { Description = "Quote this message id" };
        var say = new Command("say", "The user writes a text to the business: waba sandbox say 4915100000000 \"Hi!\"")
        {
            fromArgument, textArgument, fromOption, textOption, name, replyTo,
        };
        say.SetAction(async (parse, cli, ct) =>
        {
            var id = await Users(cli).SayAsync(Value(parse, fromArgument, fromOption), Value(parse, textArgument, textOption), parse.GetValue(name), parse.GetValue(replyTo), ct);
            return Done(cli, id);
        });

        var (buttonArgument, buttonOption) = Positional("button", "The label of the reply button, list row or template button");
        var tap = new Command("tap", "The user taps a button or list row on the latest message offering it: waba sandbox tap 4915100000000 Yes")
        {
            fromArgument, buttonArgument, fromOption, buttonOption,
        };
        tap.SetAction(async (parse, cli, ct) =>
        {
            try
            {
                return Done(cli, await Users(cli).TapAsync(Value(parse, fromArgument, fromOption), Value(parse, buttonArgument, buttonOption), ct));
            }
            catch (InvalidOperationException e)
            {
                throw new CliUsageException(e.Message);
            }
        });

        var chat = new Command("chat", "Show the chat as the user's phone shows it: waba sandbox chat 4915100000000") { fromArgument, fromOption };
        chat.SetAction(async (parse, cli, ct) =>
        {
            var shown = await Users(cli).GetChatAsync(Value(parse, fromArgument, fromOption), ct);
            cli.Output.Write(shown, CliJsonContext.Default.SandboxChat, c =>
            {
                var table = CliOutput.Table("time", "from", "message", "buttons");
                foreach (var m in c.Messages)
                {
                    table.AddRow(m.Timestamp.ToString("HH:mm:ss", CultureInfo.InvariantCulture), m.Direction == "inbound" ? "user" : "business",
                        Markup.Escape(m.Text), Markup.Escape(string.Join(" | ", m.Buttons ?? [])));
                }
                return table;
            });
            return 0;
        });

        sandbox.Subcommands.Add(say);
        sandbox.Subcommands.Add(tap);
        sandbox.Subcommands.Add(chat);
        return sandbox;
    }

    private static (Argument<string?> Argument, Option<string?> Option) Positional(string name, string description) =>
        (new Argument<string?>(name) { Description = description, Arity = ArgumentArity.ZeroOrOne },
         new Option<string?>("--" + name) { Description = description, Hidden = true });

    private static string Value(ParseResult parse, Argument<string?> argument, Option<string?> option) =>
        parse.GetValue(argument) ?? parse.GetValue(option)
        ?? throw new CliUsageException($"Give the {argument.Name}: {parse.CommandResult.Command.Description?.Split(": ", 2).ElementAtOrDefault(1) ?? argument.Name}.");

    // The sandbox's calls are the Cloud and On-Premise paths alike; a Graph token reaches them as a D360-API-KEY.
    private static GatewaySandbox Users(CliContext cli) =>
        new(cli.Settings.Client(cli.Http, cli.Settings.Dialect == WabaDialect.Graph ? WabaDialect.Cloud : null));

    private static int Done(CliContext cli, string id)
    {
        cli.Output.Write(new Dictionary<string, string> { ["message_id"] = id }, CliJsonContext.Default.DictionaryStringString,
            r => CliOutput.Fields(("message id", r["message_id"])));
        return 0;
    }
}
