using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Waba.Gateway.Hosting;

namespace Waba.Cli.Commands;

/// <summary><c>waba serve</c>: the gateway itself, with the sandbox and SQLite unless told otherwise.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1", DefaultValueFactory = _ => 5055 };
        var data = new Option<string>("--data") { Description = "The folder for the SQLite database and media", DefaultValueFactory = _ => "data" };
        var postgres = new Option<string?>("--postgres") { Description = "A PostgreSQL connection string: store there instead of SQLite" };
        var command = new Command("serve", "Run the gateway (sandbox and SQLite by default); further --Section:Key=value arguments configure it")
        {
            port, data, postgres,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(data)!);
            var args = new List<string>
            {
                $"--urls=http://127.0.0.1:{parse.GetValue(port)}",
                $"--Storage:Sqlite:Path={Path.Combine(folder, "waba.db")}",
                $"--Media:Path={Path.Combine(folder, "media")}",
            };
            if (parse.GetValue(postgres) is { Length: > 0 } connection)
            {
                args.Add("--Storage:Provider=postgres");
                args.Add($"--Storage:Postgres:ConnectionString={connection}");
            }
            args.AddRange(parse.UnmatchedTokens);
            await using var app = GatewayApplication.Create([.. args]);
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
