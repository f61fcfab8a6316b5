using System.Text;
using System.Text.Json;
using Waba.Gateway.Dialects;
using Waba.Gateway.Media;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Profiles;

/// <summary>
/// The business profile in each dialect. Cloud: <c>GET</c>/<c>POST /whatsapp_business_profile</c> (also at Graph's
/// <c>/{version}/{phone-number-id}/whatsapp_business_profile</c>). On-Premise: <c>/v1/settings/profile/about</c>,
/// <c>/v1/settings/profile/photo</c> and <c>/v1/settings/business/profile</c>. <c>meta</c> numbers are answered by Meta.
/// </summary>
public static class BusinessProfileEndpoints
{
    /// <summary>Meta's list of business categories.</summary>
    public static readonly IReadOnlySet<string> Verticals = new HashSet<string>(StringComparer.Ordinal)
    {
        "UNDEFINED", "OTHER", "AUTO", "BEAUTY", "APPAREL", "EDU", "ENTERTAIN", "EVENT_PLAN", "FINANCE", "GROCERY", "GOVT", "HOTEL", "HEALTH",
        "NONPROFIT", "PROF_SERVICES", "RETAIL", "TRAVEL", "RESTAURANT", "NOT_A_BIZ",
    };

    public static RouteGroupBuilder MapBusinessProfile(this RouteGroupBuilder channelApi)
    {
        channelApi.MapGet("/whatsapp_business_profile", GetCloudAsync).WithTags("Business profile")
            .WithSummary("The number's business profile (Cloud): ?fields=about,address,description,email,profile_picture_url,websites,vertical.");
        channelApi.MapPost("/whatsapp_business_profile", UpdateCloudAsync).WithTags("Business profile")
            .WithSummary("Update the business profile (Cloud): about ≤ 139, address ≤ 256, description ≤ 512, email ≤ 128, vertical, ≤ 2 websites, profile_picture_handle.");
        channelApi.MapGet("/v1/settings/profile/about", GetAboutAsync).WithTags("Business profile").WithSummary("The profile's about text (On-Premise).");
        channelApi.MapPatch("/v1/settings/profile/about", UpdateAboutAsync).WithTags("Business profile").WithSummary("Set the about text (On-Premise): {\"text\"} ≤ 139.");
        channelApi.MapGet("/v1/settings/profile/photo", GetPhotoAsync).WithTags("Business profile")
            .WithSummary("The profile photo (On-Premise): the image, or {settings.profile.photo.link} with ?format=link.");
        channelApi.MapPost("/v1/settings/profile/photo", UpdatePhotoAsync).WithTags("Business profile").WithSummary("Set the profile photo (On-Premise): the raw image body.");
        channelApi.MapGet("/v1/settings/business/profile", GetBusinessAsync).WithTags("Business profile").WithSummary("The business profile (On-Premise).");
        channelApi.MapPost("/v1/settings/business/profile", UpdateBusinessAsync).WithTags("Business profile")
            .WithSummary("Set the business profile (On-Premise): {address, description, email, vertical, websites}.");
        return channelApi;
    }

    internal static async Task<IResult> GetCloudAsync(HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await meta.RelayAsync(http, HttpMethod.Get, $"{channel.PhoneNumberId}/whatsapp_business_profile{http.Request.QueryString}", null, HostingType.Cloud);
        }
        var profile = await profiles.FindAsync(channel.Id, http.RequestAborted) ?? new BusinessProfile();
        var fields = http.Request.Query["fields"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        bool Wanted(string name) => fields.Count == 0 || fields.Contains(name);
        var view = new CloudProfile("whatsapp",
            Wanted("about") ? profile.About : null,
            Wanted("address") ? profile.Address : null,
            Wanted("description") ? profile.Description : null,
            Wanted("email") ? profile.Email : null,
            Wanted("vertical") ? profile.Vertical ?? "UNDEFINED" : null,
            Wanted("websites") ? profile.Websites : null,
            Wanted("profile_picture_url") && profile.ProfilePictureHandle is { } handle ? MediaEndpoints.LookasideUrl(handle) : null);
        return Results.Json(new CloudProfileList([view]), ProfileJsonContext.Default.CloudProfileList);
    }

    internal static async Task<IResult> UpdateCloudAsync(HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta)
    {
        var channel = http.Channel();
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.Cloud);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            var root = document!.RootElement;
            if (Fields.OneOf(root, "messaging_product", "messaging_product", ["whatsapp"], out _) is { } productError)
            {
                return DialectResults.Error(HostingType.Cloud, productError);
            }
            var current = Serves(channel) ? new BusinessProfile() : await profiles.FindAsync(channel.Id, http.RequestAborted) ?? new BusinessProfile();
            var (updated, error) = Apply(root, current, aboutName: "about");
            if (error is not null)
            {
                return DialectResults.Error(HostingType.Cloud, error);
            }
            if (Serves(channel))
            {
                return await meta.RelayAsync(http, HttpMethod.Post, $"{channel.PhoneNumberId}/whatsapp_business_profile", root.GetRawText(), HostingType.Cloud);
            }
            await profiles.SaveAsync(channel.Id, updated!, http.RequestAborted);
            return Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse);
        }
    }

    private static async Task<IResult> GetAboutAsync(HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta)
    {
        var (profile, error) = await CurrentAsync(http, profiles, meta, "about");
        return error is not null
            ? DialectResults.Error(HostingType.OnPremise, error)
            : Results.Json(new OnPremiseAboutSettings(new AboutSettingsBody(new AboutProfile(new AboutText(profile.About ?? string.Empty))), OnPremiseMeta.Current),
                ProfileJsonContext.Default.OnPremiseAboutSettings);
    }

    /// <summary>The number's profile: Meta's for <c>meta</c> numbers (only <paramref name="fields"/>), else the sandbox's.</summary>
    private static async Task<(BusinessProfile Profile, ApiError? Error)> CurrentAsync(HttpContext http, IBusinessProfileStore profiles,
        Meta.MetaGraph meta, string fields)
    {
        var channel = http.Channel();
        if (!Serves(channel))
        {
            return (await profiles.FindAsync(channel.Id, http.RequestAborted) ?? new BusinessProfile(), null);
        }
        var (fetched, error) = await FetchFromMetaAsync(http, meta, fields);
        return (fetched ?? new BusinessProfile(), error);
    }

    private static async Task<IResult> UpdateAboutAsync(HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta)
    {
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.OnPremise);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            if (Fields.String(document!.RootElement, "text", "text", 139, out var text) is { } error)
            {
                return DialectResults.Error(HostingType.OnPremise, error);
            }
            return await SaveOnPremiseAsync(http, profiles, meta, profile => profile with { About = text }, $"{{\"messaging_product\":\"whatsapp\",\"about\":{JsonSerializer.Serialize(text, Dialects.DialectJsonContext.Default.String)}}}");
        }
    }

    private static async Task<IResult> GetPhotoAsync(HttpContext http, IBusinessProfileStore profiles, Media.IMediaStore mediaStore, MediaFiles files)
    {
        var channel = http.Channel();
        if (Serves(channel))
        {
            return NotThroughMeta();
        }
        var handle = (await profiles.FindAsync(channel.Id, http.RequestAborted))?.ProfilePictureHandle;
        var media = handle is null ? null : await mediaStore.FindMediaAsync(channel.Id, handle, http.RequestAborted);
        if (media is null)
        {
            return DialectResults.Error(HostingType.OnPremise, new ApiError(ApiErrorKind.ResourceNotFound, "The profile has no photo."));
        }
        if (http.Request.Query["format"] == "link")
        {
            return Results.Json(new OnPremisePhotoSettings(new PhotoSettingsBody(new PhotoProfile(new PhotoLink(
                $"{http.Request.Scheme}://{http.Request.Host}/v1/media/{media.Id}"))), OnPremiseMeta.Current), ProfileJsonContext.Default.OnPremisePhotoSettings);
        }
        var stream = files.Open(media.Id);
        return stream is null
            ? DialectResults.Error(HostingType.OnPremise, new ApiError(ApiErrorKind.ResourceNotFound, "The profile has no photo."))
            : Results.Stream(stream, media.MimeType);
    }

    private static async Task<IResult> UpdatePhotoAsync(HttpContext http, IBusinessProfileStore profiles, MediaLibrary library)
    {
        var channel = http.Channel();
        if (Serves(channel))
        {
            return NotThroughMeta();
        }
        if (MediaKinds.For(http.Request.ContentType) is not { Kind: "image" })
        {
            return DialectResults.Error(HostingType.OnPremise, ApiError.Invalid("Content-Type", "a profile photo is image/jpeg or image/png"));
        }
        var (media, error) = await library.UploadAsync(channel, http.Request.Body, http.Request.ContentType, null, http.RequestAborted);
        if (error is not null)
        {
            return DialectResults.Error(HostingType.OnPremise, error);
        }
        var profile = await profiles.FindAsync(channel.Id, http.RequestAborted) ?? new BusinessProfile();
        await profiles.SaveAsync(channel.Id, profile with { ProfilePictureHandle = media!.Id }, http.RequestAborted);
        return Results.Json(new MetaOnlyResponse(OnPremiseMeta.Current), DialectJsonContext.Relaxed.MetaOnlyResponse);
    }

    private static async Task<IResult> GetBusinessAsync(HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta)
    {
        var (profile, error) = await CurrentAsync(http, profiles, meta, "address,description,email,vertical,websites");
        return error is not null
            ? DialectResults.Error(HostingType.OnPremise, error)
            : Results.Json(new OnPremiseBusinessSettings(new BusinessSettingsBody(new BusinessProfileBody(new BusinessFields(
                    profile.Address, profile.Description, profile.Email, profile.Vertical ?? "UNDEFINED", profile.Websites ?? []))), OnPremiseMeta.Current),
                ProfileJsonContext.Default.OnPremiseBusinessSettings);
    }

    private static async Task<IResult> UpdateBusinessAsync(HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta)
    {
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.OnPremise);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            var root = document!.RootElement;
            var (changes, error) = Apply(root, new BusinessProfile(), aboutName: null);
            if (error is not null)
            {
                return DialectResults.Error(HostingType.OnPremise, error);
            }
            var cloudBody = JsonSerializer.Serialize(changes!, ProfileJsonContext.Default.BusinessProfile).Insert(1, "\"messaging_product\":\"whatsapp\",");
            return await SaveOnPremiseAsync(http, profiles, meta, profile => Merge(profile, changes!), cloudBody);
        }
    }

    private static async Task<IResult> SaveOnPremiseAsync(HttpContext http, IBusinessProfileStore profiles, Meta.MetaGraph meta,
        Func<BusinessProfile, BusinessProfile> change, string cloudBody)
    {
        var channel = http.Channel();
        if (Serves(channel))
        {
            var (response, error) = await meta.SendAsync(channel, HttpMethod.Post, $"{channel.PhoneNumberId}/whatsapp_business_profile",
                new StringContent(cloudBody, Encoding.UTF8, "application/json"), http.RequestAborted);
            using (response)
            {
                if (response is null || !response.IsSuccessStatusCode)
                {
                    return DialectResults.Error(HostingType.OnPremise, error ?? await Meta.MetaGraph.ErrorOfAsync(response!, http.RequestAborted));
                }
            }
        }
        else
        {
            var profile = await profiles.FindAsync(channel.Id, http.RequestAborted) ?? new BusinessProfile();
            await profiles.SaveAsync(channel.Id, change(profile), http.RequestAborted);
        }
        return Results.Json(new MetaOnlyResponse(OnPremiseMeta.Current), DialectJsonContext.Relaxed.MetaOnlyResponse);
    }

    /// <summary>Reads the fields Meta's profile has, with Meta's limits; absent fields keep their value.</summary>
    private static (BusinessProfile? Profile, ApiError? Error) Apply(JsonElement root, BusinessProfile current, string? aboutName)
    {
        string? about = null, address = null, description = null, email = null, vertical = null, handle = null;
        var error = (aboutName is null ? null : Fields.OptionalString(root, aboutName, aboutName, 139, out about));
        error ??= Fields.OptionalString(root, "address", "address", 256, out address);
        error ??= Fields.OptionalString(root, "description", "description", 512, out description);
        error ??= Fields.OptionalString(root, "email", "email", 128, out email);
        error ??= aboutName is null ? null : Fields.OptionalString(root, "profile_picture_handle", "profile_picture_handle", 1024, out handle);
        if (error is null && Fields.Present(root, "vertical", out _))
        {
            error = Fields.OneOf(root, "vertical", "vertical", Verticals, out var v);
            vertical = v;
        }
        if (error is null && about is { Length: 0 })
        {
            error = ApiError.Invalid("about", "must not be empty");
        }
        if (error is null && email is { Length: > 0 } && (!email.Contains('@', StringComparison.Ordinal) || email.StartsWith('@') || email.EndsWith('@')))
        {
            error = ApiError.Invalid("email", "must be an email address");
        }
        List<string>? websites = null;
        if (error is null && Fields.Present(root, "websites", out _) && (error = Fields.Array(root, "websites", "websites", 0, 2, out var list)) is null)
        {
            websites = [];
            var i = 0;
            foreach (var site in list.EnumerateArray())
            {
                var path = $"websites[{i++}]";
                if ((Fields.StringValue(site, path, 1, 256, out var url) ?? Fields.HttpUrl(url, path)) is { } siteError)
                {
                    error = siteError;
                    break;
                }
                websites.Add(url);
            }
        }
        if (error is not null)
        {
            // Meta answers profile field errors as a Graph parameter error (code 100).
            return (null, new ApiError(ApiErrorKind.MalformedRequest, error.Details));
        }
        return (Merge(current, new BusinessProfile(about, address, description, email, vertical, websites, handle)), null);
    }

    private static BusinessProfile Merge(BusinessProfile current, BusinessProfile changes) => new(
        changes.About ?? current.About, changes.Address ?? current.Address, changes.Description ?? current.Description, changes.Email ?? current.Email,
        changes.Vertical ?? current.Vertical, changes.Websites ?? current.Websites, changes.ProfilePictureHandle ?? current.ProfilePictureHandle);

    private static bool Serves(Channel channel) => Meta.MetaGraph.Serves(channel);

    private static IResult NotThroughMeta() => DialectResults.GatewayError(StatusCodes.Status400BadRequest,
        "Through the meta upstream the profile photo is set with POST /whatsapp_business_profile and a profile_picture_handle from Meta's upload API.");

    private static async Task<(BusinessProfile? Profile, ApiError? Error)> FetchFromMetaAsync(HttpContext http, Meta.MetaGraph meta, string fields)
    {
        var channel = http.Channel();
        var (response, error) = await meta.SendAsync(channel, HttpMethod.Get, $"{channel.PhoneNumberId}/whatsapp_business_profile?fields={fields}", null, http.RequestAborted);
        using (response)
        {
            if (response is null || !response.IsSuccessStatusCode)
            {
                return (null, error ?? await Meta.MetaGraph.ErrorOfAsync(response!, http.RequestAborted));
            }
            var list = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(http.RequestAborted), ProfileJsonContext.Default.CloudProfileList);
            var first = list is { Data.Count: > 0 } ? list.Data[0] : null;
            return (first is null ? new BusinessProfile() : new BusinessProfile(first.About, first.Address, first.Description, first.Email, first.Vertical, first.Websites), null);
        }
    }
}
