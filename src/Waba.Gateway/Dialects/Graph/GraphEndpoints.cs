using Microsoft.Extensions.Options;
using Waba.Gateway.Blocking;
using Waba.Gateway.Dialects.Cloud;
using Waba.Gateway.Media;
using Waba.Gateway.Messaging;
using Waba.Gateway.Profiles;
using Waba.Gateway.Storage;
using Waba.Gateway.Templates;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.Graph;

/// <summary>
/// Meta's Graph paths on the gateway, so an existing Cloud API client works by changing only its base URL, with
/// <c>Authorization: Bearer &lt;API key&gt;</c>. Every path is served with a version segment (<c>/v21.0/...</c>) and, as Meta
/// does at the app's default version, without one. <c>/{media-id}</c> is shared with 360dialog's Cloud API: there the
/// credential decides the dialect.
/// </summary>
public static class GraphEndpoints
{
    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        MapNumberRoutes(app.MapGroup("/{version}").AddEndpointFilter<GraphAuthentication>().WithTags("Graph API"), versioned: true);
        MapNumberRoutes(app.MapGroup(string.Empty).AddEndpointFilter<GraphAuthentication>().WithTags("Graph API"), versioned: false);
        var shared = app.MapGroup(string.Empty).AddEndpointFilter<SharedPathAuthentication>().WithTags("Media", "Graph API");
        shared.MapGet("/{objectId:long}", GetObjectAsync)
            .WithSummary("Media metadata (Cloud with D360-API-KEY: a lookaside-style URL; Graph with Bearer: a direct URL), or with Bearer the number's own id: number info.");
        shared.MapDelete("/{objectId:long}", DeleteMediaAsync).WithSummary("Delete media.");
        return app;
    }

    private static void MapNumberRoutes(RouteGroupBuilder graph, bool versioned)
    {
        graph.MapPost("/{phoneNumberId}/messages", SendAsync).WithSummary("Send a message, exactly as Meta's Cloud API endpoint.");
        graph.MapPost("/{phoneNumberId}/media", UploadAsync).WithSummary("Upload media (multipart), as Meta's media endpoint.");
        graph.MapGet("/{phoneNumberId}/whatsapp_business_profile", (string phoneNumberId, HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta) =>
            ForThisNumber(phoneNumberId, http) ?? BusinessProfileEndpoints.GetCloudAsync(http, profiles, meta)).WithSummary("The number's business profile.");
        graph.MapPost("/{phoneNumberId}/whatsapp_business_profile", (string phoneNumberId, HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta) =>
            ForThisNumber(phoneNumberId, http) ?? BusinessProfileEndpoints.UpdateCloudAsync(http, profiles, meta)).WithSummary("Update the number's business profile.");
        graph.MapPost("/{phoneNumberId}/block_users", (string phoneNumberId, HttpContext http, BlockList blocks) =>
            ForThisNumber(phoneNumberId, http) ?? BlockUserEndpoints.BlockAsync(http, blocks)).WithSummary("Block users who wrote within 24 hours.");
        graph.MapDelete("/{phoneNumberId}/block_users", (string phoneNumberId, HttpContext http, BlockList blocks) =>
            ForThisNumber(phoneNumberId, http) ?? BlockUserEndpoints.UnblockAsync(http, blocks)).WithSummary("Unblock users.");
        graph.MapGet("/{phoneNumberId}/block_users", (string phoneNumberId, HttpContext http, BlockList blocks) =>
            ForThisNumber(phoneNumberId, http) ?? BlockUserEndpoints.ListAsync(http, blocks)).WithSummary("The blocked users, paged.");
        graph.MapGet("/{wabaId}/message_templates", (string wabaId, HttpContext http, Templates.ITemplateStore templateStore, TimeProvider time, Meta.MetaGraph meta) =>
            ForThisWaba(wabaId, http) ?? GraphTemplates.ListAsync(http, templateStore, time, meta)).WithSummary("The WABA's templates, paged with Meta's cursors.");
        graph.MapPost("/{wabaId}/message_templates", (string wabaId, HttpContext http, TemplateReview review, Meta.MetaGraph meta) =>
            ForThisWaba(wabaId, http) ?? GraphTemplates.CreateAsync(http, review, meta)).WithSummary("Submit a template for review.");
        graph.MapDelete("/{wabaId}/message_templates", (string wabaId, HttpContext http, Templates.ITemplateStore templateStore, Meta.MetaGraph meta) =>
            ForThisWaba(wabaId, http) ?? GraphTemplates.DeleteAsync(http, templateStore, meta)).WithSummary("Delete a template by name (all languages).");
        if (versioned)
        {
            graph.MapGet("/{objectId:long}", GetObjectAsync).WithSummary("Media metadata with a download URL, or the number's own id: number info.");
            graph.MapDelete("/{objectId:long}", DeleteMediaAsync).WithSummary("Delete media.");
            graph.MapGet("/{mediaId:long}/download", (long mediaId, HttpContext http, Media.IMediaStore mediaStore, MediaFiles files, Meta.MetaGraph meta) =>
                MediaEndpoints.DownloadAsync(mediaId.ToString(System.Globalization.CultureInfo.InvariantCulture), http, mediaStore, files, meta)).WithSummary("Download media bytes.");
        }
    }

    private static Task<IResult> SendAsync(string phoneNumberId, HttpContext http, MessageSender sender) =>
        ForThisNumber(phoneNumberId, http) ?? SendEndpoint.SendAsync(http, sender, HostingType.Cloud, "POST /v1/messages", CloudEndpoints.Success);

    private static Task<IResult> UploadAsync(string phoneNumberId, HttpContext http, MediaLibrary library, Meta.MetaGraph meta) =>
        ForThisNumber(phoneNumberId, http) ?? MediaEndpoints.UploadMultipartAsync(http, library, meta);

    /// <summary>
    /// <c>GET /{id}</c>: with Bearer and the number's own phone-number id, the number's info (Meta's phone-number node);
    /// otherwise a media id. The download URL follows the caller's dialect: 360dialog's lookaside form, or the Graph path.
    /// </summary>
    private static Task<IResult> GetObjectAsync(long objectId, HttpContext http, Media.IMediaStore mediaStore, Meta.MetaGraph meta,
        IOptions<Meta.MetaOptions> metaOptions,
        NumberInfo numbers)
    {
        var id = objectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (http.IsGraphCaller() && id == http.Channel().PhoneNumberId)
        {
            return numbers.DescribeAsync(http);
        }
        var version = http.Request.RouteValues["version"] as string ?? metaOptions.Value.GraphVersion;
        return http.IsGraphCaller()
            ? MediaEndpoints.GetMetadataAsync(objectId, http, mediaStore, meta, mediaId => $"{http.Request.Scheme}://{http.Request.Host}/{version}/{mediaId}/download")
            : MediaEndpoints.GetMetadataAsync(objectId, http, mediaStore, meta, MediaEndpoints.LookasideUrl);
    }

    private static Task<IResult> DeleteMediaAsync(long objectId, HttpContext http, MediaLibrary library, Meta.MetaGraph meta) =>
        MediaEndpoints.DeleteCloudAsync(objectId, http, library, meta);

    /// <summary>Meta refuses a phone-number id the token cannot reach with code 100 (subcode 33); so do we.</summary>
    private static Task<IResult>? ForThisNumber(string phoneNumberId, HttpContext http) =>
        http.Channel().PhoneNumberId == phoneNumberId ? null : Task.FromResult(UnknownObject(phoneNumberId));

    private static Task<IResult>? ForThisWaba(string wabaId, HttpContext http) =>
        http.Channel().WabaId == wabaId ? null : Task.FromResult(UnknownObject(wabaId));

    private static IResult UnknownObject(string id) =>
        DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.MalformedRequest,
            $"Unsupported request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation"));
}
