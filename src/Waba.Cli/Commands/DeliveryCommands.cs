using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client.Gateway;

namespace Waba.Cli.Commands;

/// <summary><c>waba deliveries list|show|replay</c>: the webhook delivery log (admin).</summary>
internal static class DeliveryCommands
{
    public static Command Create()
    {
        var deliveries = new Command("deliveries", "The webhook delivery log: list, show, replay (admin)");
        deliveries.Subcommands.Add(List());
        deliveries.Subcommands.Add(Show());
        deliveries.Subcommands.Add(Replay());
        return deliveries;
    }

    private static Command List()
    {
        var number = new Option<string?>("--number") { Description = "Only this number's events (phone number, phone_number_id or id)" };
        var state = new Option<string?>("--state") { Description = "pending, delivered or failed" };
        var user = new Option<string?>("--user") { Description = "Only events of this user (phone number or BSUID)" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List webhook events with their delivery state, newest first") { number, state, user, limit };
        command.SetAction(async (parse, cli, ct) =>
        {
            var page = await cli.Settings.Admin(cli.Http).ListDeliveriesAsync(new DeliveryQuery
            {
                NumberId = parse.GetValue(number), State = parse.GetValue(state), User = parse.GetValue(user), Limit = parse.GetValue(limit), NewestFirst = true,
            }, ct);
            cli.Output.Write(page, CliJsonContext.Default.GatewayPageGatewayDelivery, p =>
            {
                var table = CliOutput.Table("event id", "kind", "message", "state", "occurred", "attempts", "last answer");
                foreach (var d in p.Data)
                {
                    var last = d.Attempts.Count > 0 ? d.Attempts[^1] : null;
                    table.AddRow(Markup.Escape(d.EventId), d.Kind, Markup.Escape(d.MessageId ?? "—"), Colour(d.State), d.OccurredAt.ToString("u", CultureInfo.InvariantCulture),
                        d.Attempts.Count.ToString(CultureInfo.InvariantCulture), Markup.Escape(last is null ? "—" : last.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? last.Error ?? "—"));
                }
                return table;
            });
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var eventId = new Argument<string>("event-id") { Description = "The event's id" };
        var command = new Command("show", "Show one event: its payload and every attempt") { eventId };
        command.SetAction(async (parse, cli, ct) =>
        {
            var delivery = await cli.Settings.Admin(cli.Http).GetDeliveryAsync(parse.GetValue(eventId)!, ct);
            cli.Output.Write(delivery, CliJsonContext.Default.GatewayDelivery, d =>
            {
                var attempts = CliOutput.Table("#", "started", "url", "answer", "latency", "error");
                foreach (var a in d.Attempts)
                {
                    attempts.AddRow(a.Number.ToString(CultureInfo.InvariantCulture), a.StartedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(a.Url ?? "—"),
                        a.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "—", $"{a.LatencyMs:0} ms{(a.Slow ? " (slow)" : "")}", Markup.Escape(a.Error ?? ""));
                }
                return new Rows(
                    CliOutput.Fields(("event id", d.EventId), ("number", d.NumberId), ("kind", d.Kind), ("message", d.MessageId), ("state", d.State),
                        ("occurred", d.OccurredAt.ToString("u", CultureInfo.InvariantCulture)), ("next attempt", d.NextAttemptAt?.ToString("u", CultureInfo.InvariantCulture))),
                    attempts);
            });
            if (!cli.Output.Json)
            {
                // The payload as JSON a person can read and copy: indented, never wrapped at the terminal's width.
                Console.Out.WriteLine(JsonSerializer.Serialize(delivery.Payload, CliJsonContext.Indented.JsonElement));
            }
            return 0;
        });
        return command;
    }

    private static Command Replay()
    {
        var eventIds = new Argument<string[]>("event-id") { Description = "The events to deliver again", Arity = ArgumentArity.ZeroOrMore };
        var failed = new Option<bool>("--failed") { Description = "Replay every failed event (of --number, if given)" };
        var number = new Option<string?>("--number") { Description = "With --failed: only this number's events (phone number, phone_number_id or id)" };
        var command = new Command("replay", "Deliver events again; a progress bar shows when there are many") { eventIds, failed, number };
        command.SetAction(async (parse, cli, ct) =>
        {
            var admin = cli.Settings.Admin(cli.Http);
            var ids = parse.GetValue(eventIds)?.ToList() ?? [];
            if (parse.GetValue(failed))
            {
                string? cursor = null;
                do
                {
                    var page = await admin.ListDeliveriesAsync(new DeliveryQuery { NumberId = parse.GetValue(number), State = "failed", Limit = 500, Cursor = cursor }, ct);
                    ids.AddRange(page.Data.Select(d => d.EventId));
                    cursor = page.NextCursor;
                }
                while (cursor is not null);
            }
            else if (ids.Count == 0)
            {
                throw new CliUsageException("Name the events to replay, or pass --failed.");
            }
            var replayed = 0;
            if (!cli.Output.Json && ids.Count > 1)
            {
                await cli.Output.Console_.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"Replaying {ids.Count} events", maxValue: ids.Count);
                    foreach (var id in ids)
                    {
                        replayed += (await admin.ReplayAsync(id, ct)).Replayed;
                        task.Increment(1);
                    }
                });
            }
            else
            {
                foreach (var id in ids)
                {
                    replayed += (await admin.ReplayAsync(id, ct)).Replayed;
                }
            }
            cli.Output.Write(new Dictionary<string, int> { ["replayed"] = replayed }, CliJsonContext.Default.DictionaryStringInt32,
                r => new Markup($"Replayed {r["replayed"]} event{(r["replayed"] == 1 ? "" : "s")}: the gateway delivers {(r["replayed"] == 1 ? "it" : "them")} now."));
            return 0;
        });
        return command;
    }

    private static string Colour(string state) => state switch
    {
        "delivered" => "[green]delivered[/]",
        "failed" => "[red]failed[/]",
        _ => Markup.Escape(state),
    };
}
