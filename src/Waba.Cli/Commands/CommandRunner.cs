using System.CommandLine;
using Waba.Cli.Output;
using Waba.Cli.Settings;
using Waba.Client;

namespace Waba.Cli.Commands;

/// <summary>What an action works with: the settings, one HTTP client, the output.</summary>
internal sealed class CliContext(CliSettings settings, HttpClient http, CliOutput output)
{
    public CliSettings Settings { get; } = settings;
    public HttpClient Http { get; } = http;
    public CliOutput Output { get; } = output;
}

/// <summary>
/// Runs a command's action and turns failures into the documented exit codes: 0 done, 1 the API refused (its code and
/// words on stderr), 2 bad arguments or missing configuration, 3 the API could not be reached, 130 interrupted.
/// </summary>
internal static class CommandRunner
{
    public const int Refused = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;

    public static void SetAction(this Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var settings = CliSettings.From(parse);
                using var http = new HttpClient(new Waba.Client.Http.ConnectRetryHandler(2) { InnerHandler = new SocketsHttpHandler() })
                {
                    Timeout = TimeSpan.FromSeconds(100),
                };
                return await action(parse, new CliContext(settings, http, new CliOutput(settings.Json)), cancellationToken);
            }
            catch (WabaApiException e)
            {
                CliOutput.Error($"error: {e.Message}" + (e.StatusCode is { } status ? $" [HTTP {(int)status}]" : "")
                    + (e.FbtraceId is null ? "" : $" (fbtrace_id {e.FbtraceId})"));
                return Refused;
            }
            catch (CliUsageException e)
            {
                CliOutput.Error($"error: {e.Message}");
                return Usage;
            }
            catch (HttpRequestException e)
            {
                CliOutput.Error($"error: cannot reach the API: {e.Message}");
                return Unreachable;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
        });
}
