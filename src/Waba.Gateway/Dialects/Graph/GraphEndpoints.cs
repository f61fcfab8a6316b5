using Microsoft.Extensions.Options;
using Waba.Gateway.Blocking;
using Waba.Gateway.Dialects.Cloud;
using Waba.Gateway.Media;
using Waba.Gateway.Messaging;
using Waba.Gateway.Numbers;
using Waba.Gateway.Profiles;
using Waba.Gateway.Storage;
using Waba.Gateway.Templates;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.Graph;

/// <summary>
/// Meta's Graph paths on the gateway, so an existing Cloud API client works by changing only its base URL, with
/// <c>Authorization: Bearer &lt;API key&gt;</c>. Every path is served with a version segment (<c>/v26.0/...</c>, any
/// version) and, as Meta does at the app's default version, without one. <c>/{media-id}</c> is shared with 360dialog's
/// Cloud API: there the credential decides the dialect. A path or method not served here gets Meta's own
/// <c>GraphMethodException</c> (see <c>Hosting/UnknownRoutes</c>).
/// </summary>
public static class GraphEndpoints
{
    public static IEndpointRouteBuilder MapGraphApi(this IEndpointRouteBuilder app)
    {
        MapNumberRoutes(app.MapGroup("/{version}").AddEndpointFilter<GraphAuthentication>().WithTags("Graph API"), versioned: true);
        MapNumberRoutes(app.MapGroup(string.Empty).AddEndpointFilter<GraphAuthentication>().WithTags("Graph API"), versioned: false);
        var shared = app.MapGroup(string.Empty).AddEndpointFilter<SharedPathAuthentication>().WithTags("Media", "Graph API");
        shared.MapGet("/{objectId:long}", GetObjectAsync)
            .WithSummary("Media metadata (Cloud with D360-API-KEY: a lookaside-style URL; Graph with Bearer: a direct URL); with Bearer, the number's own id: number info, the WABA's id: WABA info.");
        shared.MapDelete("/{objectId:long}", DeleteMediaAsync).WithSummary("Delete media.");
        shared.MapGet("/whatsapp_business/attachments", (string mid, HttpContext http, IMediaStore mediaStore, MediaFiles files, Meta.MetaGraph meta) =>
                MediaEndpoints.DownloadAsync(mid, http, mediaStore, files, meta))
            .WithSummary("Download media: an inbound message's media url, or the metadata's lookaside URL with its host swapped for the gateway's (360dialog's recipe). D360-API-KEY or Bearer.");
        return app;
    }

    private static void MapNumberRoutes(RouteGroupBuilder graph, bool versioned)
    {
        graph.MapPost("/{phoneNumberId}/messages", SendAsync).WithSummary("Send a message, exactly as Meta's Cloud API endpoint.")
            .Produces<CloudSendResponse>();
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
        graph.MapPost("/{phoneNumberId}/register", (string phoneNumberId, HttpContext http, NumberManagement numbers) =>
            ForThisNumber(phoneNumberId, http) ?? numbers.RegisterAsync(http)).WithSummary("Register the number {\"messaging_product\", \"pin\"} (the two-step PIN).");
        graph.MapPost("/{phoneNumberId}/deregister", (string phoneNumberId, HttpContext http, NumberManagement numbers) =>
            ForThisNumber(phoneNumberId, http) ?? numbers.DeregisterAsync(http)).WithSummary("Deregister the number: it sends nothing (133010) until registered again.");
        graph.MapPost("/{phoneNumberId}/request_code", (string phoneNumberId, HttpContext http, NumberManagement numbers) =>
            ForThisNumber(phoneNumberId, http) ?? numbers.RequestCodeAsync(http)).WithSummary("Request a verification code {\"code_method\": \"SMS\"|\"VOICE\", \"language\"}.");
        graph.MapPost("/{phoneNumberId}/verify_code", (string phoneNumberId, HttpContext http, NumberManagement numbers) =>
            ForThisNumber(phoneNumberId, http) ?? numbers.VerifyCodeAsync(http)).WithSummary("Verify the number with the code {\"code\"} (sandbox: 000000).");
        graph.MapGet("/{phoneNumberId}/settings", (string phoneNumberId, HttpContext http, NumberManagement numbers) =>
            ForThisNumber(phoneNumberId, http) ?? numbers.GetSettingsAsync(http)).WithSummary("The number's settings (calling, storage configuration).");
        graph.MapPost("/{phoneNumberId}/settings", (string phoneNumberId, HttpContext http, NumberManagement numbers) =>
            ForThisNumber(phoneNumberId, http) ?? numbers.UpdateSettingsAsync(http)).WithSummary("Update the number's settings.");
        graph.MapGet("/{wabaId}/phone_numbers", (string wabaId, HttpContext http, NumberInfo numbers) =>
            ForThisWaba(wabaId, http) ?? numbers.ListWabaNumbersAsync(http)).WithSummary("The WABA's phone numbers (fields, limit, after), paged with Meta's cursors.");
        graph.MapGet("/{wabaId}/subscribed_apps", (string wabaId, HttpContext http, NumberManagement numbers) =>
            ForThisWaba(wabaId, http) ?? numbers.ListSubscribedAppsAsync(http)).WithSummary("The apps subscribed to the WABA's webhooks.");
        graph.MapPost("/{wabaId}/subscribed_apps", (string wabaId, HttpContext http, NumberManagement numbers) =>
            ForThisWaba(wabaId, http) ?? numbers.SubscribeAppAsync(http)).WithSummary("Subscribe the app to the WABA's webhooks.");
        graph.MapGet("/{wabaId}/message_templates", (string wabaId, HttpContext http, Templates.ITemplateStore templateStore, TimeProvider time, Meta.MetaGraph meta) =>
            ForThisWaba(wabaId, http) ?? GraphTemplates.ListAsync(http, templateStore, time, meta)).WithSummary("The WABA's templates, paged with Meta's cursors.");
        graph.MapPost("/{wabaId}/message_templates", (string wabaId, HttpContext http, TemplateReview review, Meta.MetaGraph meta) =>
            ForThisWaba(wabaId, http) ?? GraphTemplates.CreateAsync(http, review, meta)).WithSummary("Submit a template for review.");
        graph.MapDelete("/{wabaId}/message_templates", (string wabaId, HttpContext http, Templates.ITemplateStore templateStore, Meta.MetaGraph meta) =>
            ForThisWaba(wabaId, http) ?? GraphTemplates.DeleteAsync(http, templateStore, meta)).WithSummary("Delete a template by name (all languages).");
        graph.MapPost("/{objectId:long}", (long objectId, HttpContext http, NumberManagement numbers) =>
                http.Channel().PhoneNumberId == objectId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    ? numbers.SetTwoStepPinAsync(http)
                    : Task.FromResult(DialectResults.GraphUnsupported("POST", objectId.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .WithSummary("Set the number's two-step verification PIN {\"pin\": \"123456\"}.");
        if (versioned)
        {
            graph.MapGet("/{objectId:long}", GetObjectAsync).WithSummary("Media metadata with a download URL, the number's own id: number info, the WABA's id: WABA info.");
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
    /// <c>GET /{id}</c>: with Bearer and the number's own phone-number id, the number's info (Meta's phone-number node); with
    /// the number's WABA id, the WABA's; otherwise a media id. The download URL follows the caller's dialect: 360dialog's
    /// lookaside form, or the Graph path.
    /// </summary>
    private static Task<IResult> GetObjectAsync(long objectId, HttpContext http, Media.IMediaStore mediaStore, Meta.MetaGraph meta,
        IOptions<Meta.MetaOptions> metaOptions, NumberInfo numbers)
    {
        var id = objectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (http.IsGraphCaller() && id == http.Channel().PhoneNumberId)
        {
            return numbers.DescribeNumberAsync(http);
        }
        if (http.IsGraphCaller() && id == http.Channel().WabaId)
        {
            return numbers.DescribeWabaAsync(http);
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
        http.Channel().PhoneNumberId == phoneNumberId ? null : Task.FromResult(DialectResults.GraphUnsupported(http.Request.Method, phoneNumberId));

    private static Task<IResult>? ForThisWaba(string wabaId, HttpContext http) =>
        http.Channel().WabaId == wabaId ? null : Task.FromResult(DialectResults.GraphUnsupported(http.Request.Method, wabaId));
}
