using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client.Gateway;

namespace Waba.Cli.Commands;

/// <summary><c>waba conversations &lt;number&gt; [user]</c>: a number's conversations, or one conversation's messages (admin), for any upstream.</summary>
internal static class ConversationCommands
{
    public static Command Create()
    {
        var number = new Argument<string>("number") { Description = "The number: its phone number, phone_number_id or gateway id" };
        var user = new Argument<string?>("user") { Description = "A user's phone number or BSUID: show that conversation's messages", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 20 };
        var cursor = new Option<string?>("--cursor") { Description = "The next page: the cursor the last page printed" };
        var command = new Command("conversations", "A number's conversations (latest first), or one user's messages with their statuses (admin)") { number, user, limit, cursor };
        command.SetAction(async (parse, cli, ct) =>
        {
            var admin = cli.Settings.Admin(cli.Http);
            var found = await Numbers.ResolveAsync(admin, parse.GetValue(number)!, ct);
            if (parse.GetValue(user) is { } who)
            {
                var page = await admin.ListConversationMessagesAsync(found.Id, who, parse.GetValue(cursor), parse.GetValue(limit), ct);
                cli.Output.Write(page, CliJsonContext.Default.GatewayConversationPage, p => Messages(p));
            }
            else
            {
                var page = await admin.ListConversationsAsync(found.Id, parse.GetValue(cursor), parse.GetValue(limit), ct);
                cli.Output.Write(page, CliJsonContext.Default.GatewayPageGatewayConversation, p =>
                {
                    var table = CliOutput.Table("user", "bsuid", "last message", "messages");
                    foreach (var c in p.Data)
                    {
                        table.AddRow(Markup.Escape(c.User), Markup.Escape(c.UserId ?? "—"), c.LastMessageAt.ToString("u", CultureInfo.InvariantCulture),
                            c.Messages.ToString(CultureInfo.InvariantCulture));
                    }
                    return More(table, p.NextCursor);
                });
            }
            return 0;
        });
        return command;
    }

    private static Spectre.Console.Rendering.IRenderable Messages(GatewayConversationPage page)
    {
        var table = CliOutput.Table("when", "", "type", "text", "status", "id");
        foreach (var m in page.Data)
        {
            table.AddRow(m.CreatedAt.ToString("u", CultureInfo.InvariantCulture), m.Direction == "inbound" ? "←" : "→", m.Type, Markup.Escape(Text(m)),
                m.Error is { } e ? $"[red]{Markup.Escape(m.Status ?? "failed")} {e.Code}[/] {Markup.Escape(e.Title)}" : Markup.Escape(m.Status ?? ""),
                Markup.Escape(m.Id));
        }
        return More(table, page.NextCursor);
    }

    /// <summary>The words of a message, where it has some: text, caption, the body of an interactive or the template's name.</summary>
    private static string Text(GatewayConversationMessage message)
    {
        if (!message.Body.TryGetProperty(message.Type, out var content))
        {
            return "";
        }
        foreach (var path in new[] { "body", "caption", "name", "emoji", "text" })
        {
            if (content.ValueKind == JsonValueKind.Object && content.TryGetProperty(path, out var value))
            {
                return value.ValueKind == JsonValueKind.String ? value.GetString()!
                    : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "";
            }
        }
        return "";
    }

    private static Spectre.Console.Rendering.IRenderable More(Table table, string? next) =>
        next is null ? table : new Rows(table, new Markup($"[grey]More: --cursor {Markup.Escape(next)}[/]"));
}
