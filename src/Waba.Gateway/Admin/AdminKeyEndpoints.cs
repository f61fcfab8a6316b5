using System.Text.Json.Serialization;

namespace Waba.Gateway.Admin;

public sealed record CreateAdminKeyRequest(string? Name);

/// <param name="Key">The key itself: shown in this answer only, stored hashed.</param>
public sealed record AdminKeyCreatedView(string Id, string Name, string Key);

public sealed record AdminKeyView(string Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record AdminKeyList(IReadOnlyList<AdminKeyView> Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateAdminKeyRequest))]
[JsonSerializable(typeof(AdminKeyCreatedView))]
[JsonSerializable(typeof(AdminKeyList))]
internal sealed partial class AdminKeyJsonContext : JsonSerializerContext;

/// <summary>
/// <c>/admin/v1/admin_keys</c>: named admin keys an operator can give out besides <c>Admin:Token</c> — created (shown once),
/// listed (never their secrets) and revoked (refused on the next request, on every instance).
/// </summary>
public static class AdminKeyEndpoints
{
    public static RouteGroupBuilder MapAdminKeys(this RouteGroupBuilder admin)
    {
        admin.MapPost("/admin_keys", CreateAsync).WithSummary("Create a named admin key {\"name\"}; the key is in this answer only.")
            .Produces<AdminKeyCreatedView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapGet("/admin_keys", ListAsync).WithSummary("The admin keys: id, name, prefix, created, revoked (never the secrets).").Produces<AdminKeyList>();
        admin.MapDelete("/admin_keys/{keyId}", RevokeAsync).WithSummary("Revoke an admin key: the next request with it is refused.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    /// <summary>Issues a key under <paramref name="name"/>; its secret exists only in the returned value.</summary>
    public static async Task<AdminKeyCreatedView> IssueAsync(IAdminKeyStore keys, string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (id, prefix, hash, secret) = AdminKeys.Issue();
        await keys.AddAsync(id, name, prefix, hash, now, cancellationToken);
        return new AdminKeyCreatedView(id, name, secret);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IAdminKeyStore keys, TimeProvider time)
    {
        CreateAdminKeyRequest? body;
        try
        {
            body = await System.Text.Json.JsonSerializer.DeserializeAsync(request.Body, AdminKeyJsonContext.Default.CreateAdminKeyRequest, request.HttpContext.RequestAborted);
        }
        catch (System.Text.Json.JsonException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: Dialects.JsonErrors.Describe(e));
        }
        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Trim().Length > 100)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "'name' is required (at most 100 characters): who or what the key is for.");
        }
        var created = await IssueAsync(keys, body.Name.Trim(), time.GetUtcNow(), request.HttpContext.RequestAborted);
        return Results.Json(created, AdminKeyJsonContext.Default.AdminKeyCreatedView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(IAdminKeyStore keys, CancellationToken cancellationToken) =>
        Results.Json(new AdminKeyList([.. (await keys.ListAsync(cancellationToken)).Select(k =>
            new AdminKeyView(k.Id, k.Name, k.Prefix, k.CreatedAt, k.RevokedAt, k.RevokedAt is null))]), AdminKeyJsonContext.Default.AdminKeyList);

    private static async Task<IResult> RevokeAsync(string keyId, IAdminKeyStore keys, TimeProvider time, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(keyId, time.GetUtcNow(), cancellationToken)
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No live admin key '{keyId}'.");
}
