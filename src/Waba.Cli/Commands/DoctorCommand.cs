using System.CommandLine;
using Spectre.Console;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client.Gateway;

namespace Waba.Cli.Commands;

/// <summary>
/// <c>waba doctor [number]</c>: checks each <c>meta</c> number's setup at Meta (or the one named) and says what to fix.
/// Exits 1 when a check found an error, so a deployment script can stop on it.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var number = new Argument<string?>("number") { Description = "Only this number (phone number, phone_number_id or gateway id); default every meta number", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("doctor", "Check meta numbers' setup at Meta: token, scopes, registration, display name, subscription, callback, secrets, Graph version (admin)") { number };
        command.SetAction(async (parse, cli, ct) =>
        {
            var admin = cli.Settings.Admin(cli.Http);
            var numbers = new List<GatewayNumber>();
            if (parse.GetValue(number) is { } named)
            {
                numbers.Add(await Numbers.ResolveAsync(admin, named, ct));
            }
            else
            {
                string? cursor = null;
                do
                {
                    var page = await admin.ListNumbersAsync(null, cursor, 500, ct);
                    numbers.AddRange(page.Data.Where(n => n.Upstream == "meta"));
                    cursor = page.NextCursor;
                }
                while (cursor is not null);
                if (numbers.Count == 0)
                {
                    CliOutput.Error("No meta numbers on this gateway: sandbox numbers have nothing at Meta to check. Add one as docs/meta.md describes.");
                    return 0;
                }
            }
            var diagnoses = new List<GatewayDiagnosis>();
            foreach (var n in numbers)
            {
                diagnoses.Add(await admin.DiagnoseAsync(n.Id, ct));
            }
            cli.Output.Write(diagnoses, CliJsonContext.Default.ListGatewayDiagnosis, all => new Rows(all.Select(Render)));
            return diagnoses.TrueForAll(d => d.Healthy) ? 0 : CommandRunner.Refused;
        });
        return command;
    }

    private static Spectre.Console.Rendering.IRenderable Render(GatewayDiagnosis diagnosis)
    {
        var table = CliOutput.Table("", "check", "found", "what to do");
        foreach (var check in diagnosis.Checks)
        {
            var mark = check.Status switch { "ok" => "[green]✓[/]", "warning" => "[yellow]![/]", "error" => "[red]✗[/]", _ => "[grey]–[/]" };
            table.AddRow(new Markup(mark), new Text(check.Name), new Text(check.Summary), new Text(check.Fix ?? ""));
        }
        table.Title = new TableTitle($"{diagnosis.PhoneNumberId} ({diagnosis.NumberId}): {(diagnosis.Healthy ? "healthy" : "needs fixing")}");
        return table;
    }
}
