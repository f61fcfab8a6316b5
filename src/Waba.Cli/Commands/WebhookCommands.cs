using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client.Webhooks;

namespace Waba.Cli.Commands;

/// <summary>One webhook request <c>waba webhook listen --json</c> received.</summary>
internal sealed record ListenedEvent(DateTimeOffset ReceivedAt, string Signature, string? WebhookId, JsonElement Payload);

/// <summary><c>waba webhook set|show|test|listen</c>.</summary>
internal static class WebhookCommands
{
    public static Command Create()
    {
        var webhook = new Command("webhook", "Where the number's events go; test it; or receive them here");
        webhook.Subcommands.Add(Set());
        webhook.Subcommands.Add(Show());
        webhook.Subcommands.Add(Test());
        webhook.Subcommands.Add(Listen());
        return webhook;
    }

    private static Command Set()
    {
        var url = new Argument<string>("url") { Description = "The receiver's https URL (http on loopback)" };
        var headers = new Option<string[]>("--header") { Description = "A header the gateway sends with every event, as name=value" };
        var rotate = new Option<bool>("--rotate-secret") { Description = "Issue a new signing secret (the old one signs too for a grace period)" };
        var own = new Option<bool>("--own") { Description = "Set the number's own webhook (for a Cloud number: an override of the WABA webhook)" };
        var waba = new Option<bool>("--waba") { Description = "Set the WABA webhook (every Cloud number of the WABA without its own)" };
        var command = new Command("set",
            "Set the webhook the number's events go to now: its own if it has one, else (Cloud) the WABA webhook. The first time, its signing secret is shown once")
        { url, headers, rotate, own, waba };
        command.SetAction(async (parse, cli, ct) =>
        {
            var extra = (parse.GetValue(headers) ?? []).Select(h => h.Split('=', 2)).ToDictionary(
                p => p.Length == 2 ? p[0] : throw new CliUsageException("--header must be name=value."), p => p[1], StringComparer.OrdinalIgnoreCase);
            if (parse.GetValue(own) && parse.GetValue(waba))
            {
                throw new CliUsageException("Give --own or --waba, not both.");
            }
            using var client = cli.Settings.Client(cli.Http);
            var toWaba = parse.GetValue(waba) || (!parse.GetValue(own) && cli.Settings.Dialect != Waba.Client.WabaDialect.OnPremise
                && (await client.GetEffectiveWebhookAsync(ct))?.Scope != "phone_number");
            var set = toWaba
                ? await client.SetWabaWebhookAsync(parse.GetValue(url)!, extra.Count == 0 ? null : extra, parse.GetValue(rotate), ct)
                : await client.SetWebhookAsync(parse.GetValue(url)!, extra.Count == 0 ? null : extra, parse.GetValue(rotate), ct);
            cli.Output.Write(set, CliJsonContext.Default.WebhookConfiguration, w => new Rows(
                CliOutput.Fields(("url", w.Url), ("level", toWaba ? "WABA webhook (every Cloud number without its own)" : "the number's own"),
                    ("signing secret", w.SigningSecret ?? $"unchanged ({w.SecretHint})")),
                w.SigningSecret is null
                    ? new Markup("[grey]The secret is shown only when first set or rotated (--rotate-secret).[/]")
                    : new Markup("[yellow]Give the secret to your receiver now (waba webhook listen --secret ...): it is not shown again.[/]")));
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var command = new Command("show", "Show where the number's events go now (its own webhook, else the WABA's) and which secret signs them");
        command.SetAction(async (parse, cli, ct) =>
        {
            using var client = cli.Settings.Client(cli.Http);
            var shown = await client.GetEffectiveWebhookAsync(ct)
                ?? throw new CliUsageException("No webhook is set for this number: 'waba webhook set <url>' sets one (its secret is shown once).");
            cli.Output.Write(shown, CliJsonContext.Default.EffectiveWebhook, w => CliOutput.Fields(("url", w.Webhook.Url),
                ("level", w.Scope == "waba" ? "WABA webhook (set with POST /waba_webhook)" : "the number's own (set with POST /v1/configs/webhook)"),
                ("signed with", w.Webhook.SecretHint), ("headers", w.Webhook.Headers is { Count: > 0 } h ? string.Join(", ", h.Keys) : null)));
            return 0;
        });
        return command;
    }

    private static Command Test()
    {
        var number = new Argument<string>("number") { Description = "The number: its phone number, phone_number_id or gateway id" };
        var command = new Command("test", "Send a sample event to the number's webhook now and show the answer (admin)") { number };
        command.SetAction(async (parse, cli, ct) =>
        {
            var admin = cli.Settings.Admin(cli.Http);
            var result = await admin.TestWebhookAsync((await Numbers.ResolveAsync(admin, parse.GetValue(number)!, ct)).Id, ct);
            cli.Output.Write(result, CliJsonContext.Default.GatewayWebhookTest, r => CliOutput.Fields(("url", r.Url),
                ("answer", r.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? r.Error), ("latency", $"{r.LatencyMs:0} ms{(r.Slow ? " (slow)" : "")}"),
                ("delivered", r.Succeeded ? "yes" : "no"), ("excerpt", r.ResponseExcerpt)));
            return result.Succeeded ? 0 : CommandRunner.Refused;
        });
        return command;
    }

    private static Command Listen()
    {
        var port = new Option<int>("--port") { Description = "The local port to listen on (127.0.0.1)", DefaultValueFactory = _ => 5070 };
        var secret = new Option<string?>("--secret") { Description = "Check signatures with this secret (whsec_… or Meta's app secret) [env WABA_WEBHOOK_SECRET]" };
        var count = new Option<int?>("--count") { Description = "Stop after this many requests" };
        var command = new Command("listen", "Receive webhooks here and print each event as it arrives, with its signature checked") { port, secret, count };
        command.SetAction(async (parse, cli, ct) =>
        {
            var key = parse.GetValue(secret) ?? cli.Settings.WebhookSecret;
            var limit = parse.GetValue(count);
            var received = 0;
            var done = new TaskCompletionSource();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{parse.GetValue(port)}");
            builder.Logging.ClearProviders();
            await using var app = builder.Build();
            app.Run(async http =>
            {
                using var buffer = new MemoryStream();
                await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
                var body = buffer.ToArray();
                string? Header(string name) => http.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
                var check = key is null ? "unchecked" : WebhookSignature.Verify(Header, body, [key], DateTimeOffset.UtcNow).ToString().ToLowerInvariant();
                http.Response.StatusCode = check is "valid" or "unchecked" ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized;
                Print(cli, check, Header("webhook-id"), body);
                if (limit is { } max && Interlocked.Increment(ref received) >= max)
                {
                    done.TrySetResult();
                }
            });
            await app.StartAsync(ct);
            if (!cli.Output.Json)
            {
                cli.Output.Line($"Listening on [bold]{Markup.Escape(app.Urls.First())}[/]"
                    + (key is null ? " [yellow](no secret: signatures are not checked)[/]" : $", checking signatures with {Markup.Escape(Hint(key))} ('waba webhook show' names the webhook's)")
                    + ". Ctrl+C stops.");
            }
            await done.Task.WaitAsync(ct);
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }

    /// <summary>The gateway's hint of a secret (<c>whsec_</c> and four characters), to compare with <c>waba webhook show</c>.</summary>
    private static string Hint(string secret) => secret.Length > 10 ? secret[..10] + "…" : "…";

    private static void Print(CliContext cli, string signature, string? webhookId, byte[] body)
    {
        JsonElement payload;
        try
        {
            payload = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            payload = JsonSerializer.SerializeToElement(System.Text.Encoding.UTF8.GetString(body), CliJsonContext.Default.String);
        }
        if (cli.Output.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new ListenedEvent(DateTimeOffset.UtcNow, signature, webhookId, payload), CliJsonContext.Default.ListenedEvent));
            return;
        }
        var mark = signature switch { "valid" => "[green]signed[/]", "unchecked" => "[grey]unchecked[/]", _ => $"[red]{signature}[/]" };
        IReadOnlyList<WebhookEvent> events;
        try
        {
            events = WebhookPayload.Parse(body);
        }
        catch (JsonException)
        {
            cli.Output.Line($"{DateTimeOffset.Now:HH:mm:ss} {mark} [red]not a WhatsApp webhook body[/]");
            return;
        }
        foreach (var e in events)
        {
            var line = e.Kind switch
            {
                WebhookEventKind.Message => $"message {e.Message!.Type} from {e.Contact?.Profile?.Name ?? e.Message.From}: {e.Message.DisplayText} ({e.Message.Id})",
                WebhookEventKind.Status => $"status {e.Status!.Status} of {e.Status.Id}" + (e.Status.Errors is { Count: > 0 } errors ? $" ({errors[0].Code} {errors[0].Title})" : ""),
                WebhookEventKind.Error => $"error {e.Error!.Code} {e.Error.Title}",
                _ => $"{e.Field}",
            };
            cli.Output.Line($"{DateTimeOffset.Now:HH:mm:ss} {mark} {Markup.Escape(line)}");
        }
    }
}
