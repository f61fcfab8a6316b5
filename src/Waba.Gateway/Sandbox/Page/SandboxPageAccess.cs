using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Waba.Gateway.Admin;

namespace Waba.Gateway.Sandbox.Page;

/// <summary>
/// Who may use the sandbox page's API. While the gateway listens on loopback addresses only (the development default)
/// only this machine can reach it, so the page is open; otherwise (or with <c>Sandbox:PageAccess=token</c>) the request
/// must bear <c>Admin:Token</c> as <c>Authorization: Bearer</c> — a header, never a URL, so it stays out of logs and history.
/// </summary>
internal sealed class SandboxPageAccess(IOptions<AdminOptions> admin, IOptions<SandboxOptions> sandbox, IServer server) : IEndpointFilter
{
    private readonly AdminAuthorization _admin = new(admin);

    public bool TokenRequired => sandbox.Value.PageAccess == "token" || !ListensOnLoopbackOnly(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    public bool TokenConfigured => _admin.Configured;

    /// <summary>The request bears the admin token (whether or not the page needs it here): it may see real numbers.</summary>
    public bool AdminAdmits(HttpRequest request) => _admin.Admits(request);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!TokenRequired || _admin.Admits(context.HttpContext.Request))
        {
            return await next(context);
        }
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: _admin.Configured
                ? "The gateway listens beyond loopback: send the admin token as 'Authorization: Bearer <Admin:Token>'."
                : "The gateway listens beyond loopback and Admin:Token is not configured, so the sandbox page is closed; set Admin:Token.");
    }

    /// <summary>True when every address the server listens on is a loopback address (no address known yet: false).</summary>
    public static bool ListensOnLoopbackOnly(ICollection<string> addresses) =>
        addresses.Count > 0 && addresses.All(address => IsLoopback(BindingAddress.Parse(address).Host));

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
}
