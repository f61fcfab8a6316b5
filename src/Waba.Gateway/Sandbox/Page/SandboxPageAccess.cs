using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Waba.Gateway.Admin;

namespace Waba.Gateway.Sandbox.Page;

/// <summary>
/// Who may use the sandbox page's API. While the gateway listens on loopback addresses only (the development default)
/// only this machine can reach it, so the page is open; otherwise (or with <c>Sandbox:PageAccess=token</c>) the request
/// must bear <c>Admin:Token</c> or an admin key as <c>Authorization: Bearer</c> — a header, never a URL, so it stays out of
/// logs and history.
/// </summary>
internal sealed class SandboxPageAccess(AdminAuthorization admin, IOptions<SandboxOptions> sandbox, IServer server) : IEndpointFilter
{
    public bool TokenRequired => sandbox.Value.PageAccess == "token" || !ListensOnLoopbackOnly(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    public Task<bool> TokenConfiguredAsync(CancellationToken cancellationToken) => admin.ConfiguredAsync(cancellationToken);

    /// <summary>The request bears an admin credential (whether or not the page needs one here): it may see real numbers.</summary>
    public Task<bool> AdminAdmitsAsync(HttpRequest request) => admin.AdmitsAsync(request);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!TokenRequired || await admin.AdmitsAsync(http.Request))
        {
            return await next(context);
        }
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: await admin.ConfiguredAsync(http.RequestAborted)
                ? "The gateway listens beyond loopback: send the admin token or an admin key as 'Authorization: Bearer <token>'."
                : "The gateway listens beyond loopback and has no admin credential, so the sandbox page is closed; set Admin:Token.");
    }

    /// <summary>True when every address the server listens on is a loopback address (no address known yet: false).</summary>
    public static bool ListensOnLoopbackOnly(ICollection<string> addresses) =>
        addresses.Count > 0 && addresses.All(address => IsLoopback(BindingAddress.Parse(address).Host));

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
}
