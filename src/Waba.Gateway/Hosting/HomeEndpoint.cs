namespace Waba.Gateway.Hosting;

internal static class HomeEndpoint
{
    /// <summary><c>GET /</c>: to the sandbox page when the sandbox is on, else to the API reference.</summary>
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder app, bool sandbox)
    {
        app.MapGet("/", () => Results.Redirect(sandbox ? "/sandbox" : "/docs")).ExcludeFromDescription();
        return app;
    }
}
