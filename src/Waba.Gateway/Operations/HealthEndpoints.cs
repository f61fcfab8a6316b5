using Waba.Gateway.Storage;

namespace Waba.Gateway.Operations;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the database answers, migrations are applied, the worker runs.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithTags("Operations").WithSummary("Liveness: the process is up.").Produces<string>(StatusCodes.Status200OK, "text/plain");
        app.MapGet("/readyz", ReadyAsync).WithTags("Operations").WithSummary("Readiness: database reachable, migrations applied, delivery worker running.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        return app;
    }

    private static async Task<IResult> ReadyAsync(IStorageSchema store, WorkerStatus worker, CancellationToken cancellationToken)
    {
        bool database;
        try
        {
            database = await store.IsReadyAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            database = false;
        }
        return database && worker.Running
            ? Results.Text("ready")
            : Results.Text($"not ready: database {(database ? "ok" : "unavailable or not migrated")}, worker {(worker.Running ? "running" : "stopped")}",
                statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
