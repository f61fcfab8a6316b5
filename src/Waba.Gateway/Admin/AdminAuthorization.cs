using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Admin;

/// <summary>
/// Admits requests bearing <c>Admin:Token</c> or a live admin key as <c>Authorization: Bearer</c>, compared in constant
/// time. Without either the admin API is off (404, saying how to turn it on), so an unconfigured gateway offers nothing
/// to guess at.
/// </summary>
internal sealed class AdminAuthorization(IOptions<AdminOptions> options, IAdminKeyStore keys) : IEndpointFilter
{
    private readonly byte[]? _tokenHash = string.IsNullOrEmpty(options.Value.Token)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Token));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (await AdmitsAsync(http.Request))
        {
            return await next(context);
        }
        if (!await ConfiguredAsync(http.RequestAborted))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Admin API off",
                detail: "This gateway has no admin credential: set Admin:Token (environment Admin__Token, 16 characters or more), "
                    + "or start on an empty database with the sandbox on, which prints an admin key once.");
        }
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: "Send Admin:Token or an admin key (waba_admin_…) as 'Authorization: Bearer <token>' (the CLI reads WABA_ADMIN_TOKEN).");
    }

    /// <summary>True when the request bears <c>Admin:Token</c> or a live admin key as <c>Authorization: Bearer</c>.</summary>
    public async Task<bool> AdmitsAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : string.Empty;
        if (presented.Length == 0)
        {
            return false;
        }
        // Hashing first makes the comparison constant-time whatever the presented length.
        if (_tokenHash is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _tokenHash))
        {
            return true;
        }
        return AdminKeys.PrefixOf(presented) is { } prefix
            && await keys.FindAsync(prefix, request.HttpContext.RequestAborted) is { } candidate
            && ApiKeys.Matches(presented, candidate.Hash);
    }

    /// <summary>Whether the admin API is on: <c>Admin:Token</c> is set or an admin key is live.</summary>
    public async Task<bool> ConfiguredAsync(CancellationToken cancellationToken) => _tokenHash is not null || await keys.AnyLiveAsync(cancellationToken);
}
