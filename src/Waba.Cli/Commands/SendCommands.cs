using System.CommandLine;
using Microsoft.AspNetCore.StaticFiles;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client.Messages;

namespace Waba.Cli.Commands;

/// <summary><c>waba send text|image|document|template|buttons|list</c>.</summary>
internal static class SendCommands
{
    private static readonly Argument<string> To = new("to") { Description = "The recipient: a phone number in international format, or a BSUID (DE.0462…)" };
    private static readonly Option<string?> ReplyTo = new("--reply-to") { Description = "Quote this message id (answer it)" };

    public static Command Create()
    {
        var send = new Command("send", "Send a WhatsApp message from the number of the API key");
        send.Subcommands.Add(Text());
        send.Subcommands.Add(Media("image", "Send an image (jpeg, png; 5 MB)", captionAllowed: true));
        send.Subcommands.Add(Media("document", "Send a document (pdf, office, text; 100 MB)", captionAllowed: true));
        send.Subcommands.Add(Template());
        send.Subcommands.Add(Buttons());
        send.Subcommands.Add(List());
        return send;
    }

    private static Command Text()
    {
        var body = new Argument<string>("body") { Description = "The text (WhatsApp formatting: *bold*, _italic_, ~strike~, ```mono```)" };
        var preview = new Option<bool>("--preview-url") { Description = "Show a preview of the first link" };
        var command = new Command("text", "Send a text message") { To, body, preview, ReplyTo };
        command.SetAction((parse, cli, ct) => SendAsync(parse, cli, Message.Text(parse.GetValue(To)!, parse.GetValue(body)!, parse.GetValue(preview)), ct));
        return command;
    }

    private static Command Media(string kind, string description, bool captionAllowed)
    {
        var file = new Option<FileInfo?>("--file") { Description = "Upload this file first, then send it" };
        var link = new Option<string?>("--link") { Description = "A public https link WhatsApp fetches" };
        var id = new Option<string?>("--id") { Description = "A media id from an earlier upload" };
        var caption = new Option<string?>("--caption") { Description = "The caption under it" };
        var filename = new Option<string?>("--filename") { Description = "The file name the user sees (documents)" };
        var command = new Command(kind, description) { To, file, link, id, ReplyTo };
        if (captionAllowed)
        {
            command.Options.Add(caption);
        }
        if (kind == "document")
        {
            command.Options.Add(filename);
        }
        command.SetAction(async (parse, cli, ct) =>
        {
            var given = new[] { parse.GetValue(file) is not null, parse.GetValue(link) is not null, parse.GetValue(id) is not null }.Count(x => x);
            if (given != 1)
            {
                throw new CliUsageException($"Give exactly one of --file, --link or --id for the {kind}.");
            }
            using var client = cli.Settings.Client(cli.Http);
            MediaSource source;
            if (parse.GetValue(file) is { } path)
            {
                if (!path.Exists)
                {
                    throw new CliUsageException($"{path.FullName} does not exist.");
                }
                var mime = new FileExtensionContentTypeProvider().TryGetContentType(path.Name, out var type) ? type : "application/octet-stream";
                await using var stream = path.OpenRead();
                source = MediaSource.FromId(await client.UploadMediaAsync(stream, mime, path.Name, ct));
            }
            else
            {
                source = parse.GetValue(link) is { } url ? MediaSource.FromLink(url) : MediaSource.FromId(parse.GetValue(id)!);
            }
            var to = parse.GetValue(To)!;
            var message = kind == "image"
                ? Message.Image(to, source, parse.GetValue(caption))
                : Message.Document(to, source, parse.GetValue(caption), parse.GetValue(filename) ?? parse.GetValue(file)?.Name);
            return await SendAsync(parse, cli, message, ct);
        });
        return command;
    }

    private static Command Template()
    {
        var name = new Argument<string>("name") { Description = "The approved template's name" };
        var language = new Option<string>("--language") { Description = "Its language code", DefaultValueFactory = _ => "en_US" };
        var header = new Option<string[]>("--header-param") { Description = "A text parameter of the header, in order" };
        var body = new Option<string[]>("--param") { Description = "A text parameter of the body, in order ({{1}}, {{2}}, …)" };
        var payload = new Option<string[]>("--button-payload") { Description = "The payload of quick-reply button 0, 1, … in order" };
        var command = new Command("template", "Send a template message (works outside the 24-hour window)") { To, name, language, header, body, payload, ReplyTo };
        command.SetAction((parse, cli, ct) =>
        {
            var components = new List<TemplateComponent>();
            if (parse.GetValue(header) is { Length: > 0 } headerValues)
            {
                components.Add(TemplateComponent.Header([.. headerValues.Select(v => TemplateParameter.ForText(v))]));
            }
            if (parse.GetValue(body) is { Length: > 0 } bodyValues)
            {
                components.Add(TemplateComponent.Body([.. bodyValues.Select(v => TemplateParameter.ForText(v))]));
            }
            foreach (var (value, index) in (parse.GetValue(payload) ?? []).Select((v, i) => (v, i)))
            {
                components.Add(TemplateComponent.QuickReply(index, value));
            }
            return SendAsync(parse, cli, Message.Template(parse.GetValue(To)!, parse.GetValue(name)!, parse.GetValue(language)!, components), ct);
        });
        return command;
    }

    private static Command Buttons()
    {
        var body = new Argument<string>("body") { Description = "The text above the buttons" };
        var buttons = new Option<string[]>("--button") { Description = "A reply button as id=title (1 to 3)", Required = true };
        var command = new Command("buttons", "Send up to three reply buttons") { To, body, buttons, ReplyTo };
        command.SetAction((parse, cli, ct) =>
        {
            var replies = parse.GetValue(buttons)!.Select(b => Pair(b, "--button")).Select(p => ReplyButton.Create(p.Id, p.Title)).ToList();
            return SendAsync(parse, cli, Message.Buttons(parse.GetValue(To)!, parse.GetValue(body)!, replies), ct);
        });
        return command;
    }

    private static Command List()
    {
        var body = new Argument<string>("body") { Description = "The text above the list's button" };
        var button = new Option<string>("--button-text") { Description = "The label of the button that opens the list", DefaultValueFactory = _ => "Choose" };
        var rows = new Option<string[]>("--row") { Description = "A row as id=title or id=title=description (1 to 10)", Required = true };
        var section = new Option<string?>("--section") { Description = "The section's title" };
        var command = new Command("list", "Send a list the user picks one row from") { To, body, button, rows, section, ReplyTo };
        command.SetAction((parse, cli, ct) =>
        {
            var listRows = parse.GetValue(rows)!.Select(r =>
            {
                var parts = r.Split('=', 3);
                return parts.Length >= 2 ? new ListRow(parts[0], parts[1], parts.Length == 3 ? parts[2] : null)
                    : throw new CliUsageException($"--row '{r}' must be id=title or id=title=description.");
            }).ToList();
            return SendAsync(parse, cli, Message.List(parse.GetValue(To)!, parse.GetValue(body)!, parse.GetValue(button)!,
                ListSection.Create(parse.GetValue(section), listRows)), ct);
        });
        return command;
    }

    private static (string Id, string Title) Pair(string value, string option)
    {
        var at = value.IndexOf('=', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 ? (value[..at], value[(at + 1)..]) : throw new CliUsageException($"{option} '{value}' must be id=title.");
    }

    private static async Task<int> SendAsync(ParseResult parse, CliContext cli, WabaMessage message, CancellationToken ct)
    {
        if (parse.GetValue(ReplyTo) is { } replyTo)
        {
            message = message.InReplyTo(replyTo);
        }
        if (message.To is { } to && to.Contains('.', StringComparison.Ordinal))
        {
            message = message.ToUser(to);
        }
        using var client = cli.Settings.Client(cli.Http);
        var sent = await client.SendAsync(message, ct);
        cli.Output.Write(sent, CliJsonContext.Default.SentMessage, s => CliOutput.Fields(("message id", s.Id), ("to", s.WaId ?? s.UserId ?? message.To ?? message.Recipient),
            ("status", s.MessageStatus ?? "accepted")));
        return 0;
    }
}
