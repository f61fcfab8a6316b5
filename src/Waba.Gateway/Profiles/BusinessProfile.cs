using System.Text.Json.Serialization;

namespace Waba.Gateway.Profiles;

/// <summary>
/// What a user sees about the business in WhatsApp (Meta's <c>whatsapp_business_profile</c>). The sandbox keeps it per
/// number; <c>meta</c> numbers keep theirs at Meta. <see cref="ProfilePictureHandle"/> is a media id of the number here.
/// </summary>
public sealed record BusinessProfile(
    string? About = null,
    string? Address = null,
    string? Description = null,
    string? Email = null,
    string? Vertical = null,
    IReadOnlyList<string>? Websites = null,
    string? ProfilePictureHandle = null);

/// <summary>Keeps each number's business profile.</summary>
public interface IBusinessProfileStore
{
    Task<BusinessProfile?> FindAsync(string channelId, CancellationToken cancellationToken);

    Task SaveAsync(string channelId, BusinessProfile profile, CancellationToken cancellationToken);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BusinessProfile))]
[JsonSerializable(typeof(CloudProfileList))]
[JsonSerializable(typeof(OnPremiseAboutSettings))]
[JsonSerializable(typeof(OnPremisePhotoSettings))]
[JsonSerializable(typeof(OnPremiseBusinessSettings))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;

/// <summary>Meta's answer to <c>GET /whatsapp_business_profile</c>: the profile's fields and <c>messaging_product</c>.</summary>
public sealed record CloudProfile(
    string MessagingProduct,
    string? About = null,
    string? Address = null,
    string? Description = null,
    string? Email = null,
    string? Vertical = null,
    IReadOnlyList<string>? Websites = null,
    string? ProfilePictureUrl = null);

public sealed record CloudProfileList(IReadOnlyList<CloudProfile> Data);

public sealed record AboutText(string Text);
public sealed record AboutProfile(AboutText About);
public sealed record AboutSettingsBody(AboutProfile Profile);
public sealed record OnPremiseAboutSettings(AboutSettingsBody Settings, Dialects.OnPremiseMeta Meta);

public sealed record PhotoLink(string Link);
public sealed record PhotoProfile(PhotoLink Photo);
public sealed record PhotoSettingsBody(PhotoProfile Profile);
public sealed record OnPremisePhotoSettings(PhotoSettingsBody Settings, Dialects.OnPremiseMeta Meta);

public sealed record BusinessFields(string? Address, string? Description, string? Email, string? Vertical, IReadOnlyList<string>? Websites);
public sealed record BusinessProfileBody(BusinessFields Profile);
public sealed record BusinessSettingsBody(BusinessProfileBody Business);
public sealed record OnPremiseBusinessSettings(BusinessSettingsBody Settings, Dialects.OnPremiseMeta Meta);
