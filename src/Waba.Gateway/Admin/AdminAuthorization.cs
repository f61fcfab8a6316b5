using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Waba.Gateway.Admin;

/// <summary>
/// Admits requests bearing <c>Admin:Token</c>, compared in constant time. Without a configured token the admin
/// API does not exist (404), so an unconfigured gateway offers nothing to guess at.
/// </summary>
internal sealed class AdminAuthorization(IOptions<AdminOptions> options) : IEndpointFilter
{
    private readonly byte[]? _tokenHash = string.IsNullOrEmpty(options.Value.Token)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Token));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_tokenHash is null)
        {
            return Results.NotFound();
        }
        if (!Admits(context.HttpContext.Request))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "Send the admin token as 'Authorization: Bearer <Admin:Token>'.");
        }
        return await next(context);
    }

    /// <summary>True when a token is configured and the request bears it as <c>Authorization: Bearer</c>.</summary>
    public bool Admits(HttpRequest request)
    {
        if (_tokenHash is null)
        {
            return false;
        }
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : string.Empty;
        // Hashing first makes the comparison constant-time whatever the presented length.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _tokenHash);
    }

    public bool Configured => _tokenHash is not null;
}
