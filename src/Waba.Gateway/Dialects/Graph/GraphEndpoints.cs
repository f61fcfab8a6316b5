using System.Text.RegularExpressions;
using Waba.Gateway.Media;
using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.Graph;

/// <summary>
/// Meta's Graph paths on the gateway, so an existing Cloud API client works by changing only its base URL:
/// <c>POST /{version}/{phone-number-id}/messages</c>, <c>POST /{version}/{phone-number-id}/media</c>,
/// <c>GET</c>/<c>DELETE /{version}/{media-id}</c> and the media download, with <c>Authorization: Bearer &lt;API key&gt;</c>.
/// </summary>
public static partial class GraphEndpoints
{
    public static RouteGroupBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        var graph = app.MapGroup("/{version}").AddEndpointFilter<GraphAuthentication>().WithTags("Graph API");
        graph.MapPost("/{phoneNumberId}/messages", SendAsync).WithSummary("Send a message, exactly as Meta's Cloud API endpoint.");
        graph.MapPost("/{phoneNumberId}/media", UploadAsync).WithSummary("Upload media (multipart), as Meta's media endpoint.");
        graph.MapGet("/{mediaId:long}", (long mediaId, string version, HttpContext http, IGatewayStore store, Meta.MetaGraph meta) =>
            MediaEndpoints.GetMetadataAsync(mediaId, http, store, meta, id => $"/{version}/{id}/download")).WithSummary("Media metadata with a download URL.");
        graph.MapGet("/{mediaId:long}/download", (long mediaId, HttpContext http, IGatewayStore store, MediaFiles files, Meta.MetaGraph meta) =>
            MediaEndpoints.DownloadAsync(mediaId.ToString(System.Globalization.CultureInfo.InvariantCulture), http, store, files, meta)).WithSummary("Download media bytes.");
        graph.MapDelete("/{mediaId:long}", (long mediaId, HttpContext http, MediaLibrary library, Meta.MetaGraph meta) =>
            MediaEndpoints.DeleteCloudAsync(mediaId, http, library, meta)).WithSummary("Delete media.");
        return graph;
    }

    private static Task<IResult> SendAsync(string phoneNumberId, HttpContext http, MessageSender sender) =>
        ForThisNumber(phoneNumberId, http) ?? SendEndpoint.SendAsync(http, sender, HostingType.Cloud, "POST /v1/messages", static (message, id) =>
            Results.Json(new CloudSendResponse("whatsapp", [new CloudContactRef(message.To, message.WaId)], [new MessageRef(id)]),
                DialectJsonContext.Relaxed.CloudSendResponse));

    private static Task<IResult> UploadAsync(string phoneNumberId, HttpContext http, MediaLibrary library, Meta.MetaGraph meta) =>
        ForThisNumber(phoneNumberId, http) ?? MediaEndpoints.UploadMultipartAsync(http, library, meta);

    /// <summary>Meta refuses a phone-number id the token cannot reach with code 100 (subcode 33); so do we.</summary>
    private static Task<IResult>? ForThisNumber(string phoneNumberId, HttpContext http) =>
        http.Channel().PhoneNumberId == phoneNumberId
            ? null
            : Task.FromResult(DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.MalformedRequest,
                $"Unsupported post request. Object with ID '{phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation")));

    [GeneratedRegex(@"^v\d+\.\d+$")]
    internal static partial Regex GraphVersion();
}

/// <summary>
/// <c>Authorization: Bearer &lt;API key&gt;</c> for the Graph paths; a missing or unknown token gets Meta's 401 (code 190).
/// The path's version must look like Meta's (<c>v21.0</c>); anything else is not a Graph path (404).
/// </summary>
internal sealed class GraphAuthentication(IGatewayStore store) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues["version"] is not string version || !GraphEndpoints.GraphVersion().IsMatch(version))
        {
            return Results.NotFound();
        }
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        var candidate = ApiKeys.TryGetPrefix(token, out var prefix) ? await store.FindApiKeyAsync(prefix, http.RequestAborted) : null;
        if (candidate is null || !ApiKeys.Matches(token, candidate.Hash))
        {
            return Results.Json(
                new CloudErrorBody(new CloudError("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190,
                    new CloudErrorData("whatsapp", "The Bearer token is not an API key of this gateway."), Identifiers.NewOpaque("trace"))),
                DialectJsonContext.Relaxed.CloudErrorBody, statusCode: StatusCodes.Status401Unauthorized);
        }
        http.Items[typeof(Channel)] = candidate.Channel;
        return await next(context);
    }
}
