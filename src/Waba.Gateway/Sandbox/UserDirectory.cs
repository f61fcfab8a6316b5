using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Waba.Gateway.Upstreams;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// Who the sandbox's users are to a business, as Meta has it since April 2026: a business-scoped user id (BSUID,
/// <c>US.13491208655302741918</c>) per user and WABA, new when the user changes number; an optional parent BSUID
/// (<c>US.ENT.…</c>, <c>Sandbox:ParentUserIds</c>) shared across WABAs; an optional username. A user with a username
/// who hides their number is known to the business by BSUID only, unless the phone is available under Meta's rules:
/// the business exchanged messages with them, phone visible, in the last 30 days (the gateway's clock decides).
/// </summary>
public sealed partial class UserDirectory(ISandboxUserStore store, IOptions<SandboxOptions> options, TimeProvider time)
{
    public static readonly TimeSpan PhoneAvailability = TimeSpan.FromDays(30);

    /// <summary>
    /// The user with this phone number in the WABA: as stored when they have a username, a hidden number, a shared phone
    /// or a number change; otherwise with the ids derived from the number, which nothing needs to store.
    /// </summary>
    public async Task<SandboxUser> LookupAsync(string wabaId, string waId, CancellationToken cancellationToken) =>
        await store.FindAsync(wabaId, waId, cancellationToken)
        ?? new SandboxUser(wabaId, waId, null, false, null, null, time.GetUtcNow());

    /// <summary>The user a BSUID or parent BSUID names in this WABA, or null when it names nobody this gateway gave ids to.</summary>
    public async Task<SandboxUser?> ResolveAsync(string wabaId, string userId, CancellationToken cancellationToken) =>
        PhoneOf(wabaId, userId) is { } waId ? await LookupAsync(wabaId, waId, cancellationToken) : null;

    /// <summary>The user by phone number or BSUID, as the WABA knows them (users never met are not found).</summary>
    public async Task<SandboxUser?> FindAsync(string wabaId, string phoneOrUserId, CancellationToken cancellationToken) =>
        UserIdFormat().IsMatch(phoneOrUserId)
            ? PhoneOf(wabaId, phoneOrUserId) is { } waId ? await store.FindAsync(wabaId, waId, cancellationToken) : null
            : await store.FindAsync(wabaId, phoneOrUserId, cancellationToken);

    public Task SaveAsync(SandboxUser user, CancellationToken cancellationToken) => store.SaveAsync(user, cancellationToken);

    public bool ParentUserIdsEnabled => options.Value.ParentUserIds;

    /// <summary>Whether the business may see this user's phone number now.</summary>
    public bool PhoneAvailable(SandboxUser user) =>
        user.Username is null || !user.HidesNumber || user.PhoneSharedAt is { } shared && time.GetUtcNow() - shared < PhoneAvailability;

    /// <summary>
    /// Keeps the phone in the business's contact book: messages exchanged with the phone visible. Only a user who hides
    /// their number needs it remembered; for the others it is always visible, so nothing is written.
    /// </summary>
    public async Task<SandboxUser> RecordPhoneSharedAsync(SandboxUser user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (user.Username is null || !user.HidesNumber || user.PhoneSharedAt is { } shared && now - shared < TimeSpan.FromHours(1))
        {
            return user;
        }
        var updated = user with { PhoneSharedAt = now };
        await store.SaveAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>The user as a webhook shows them, for a message addressed by phone or by BSUID.</summary>
    public RecipientIdentity Describe(SandboxUser user, bool sentToPhone, string input) => new(
        input, sentToPhone, user.WaId, PhoneAvailable(user), user.UserId, ParentUserIdsEnabled ? user.ParentUserId : null, user.Username);

    /// <summary>
    /// The user moves to another number: a new BSUID there (username and hiding carried over), and the old identity is
    /// retired, so neither the old number nor the old BSUID reaches them any more.
    /// </summary>
    public async Task<(SandboxUser Old, SandboxUser New)> ChangeNumberAsync(SandboxUser user, string newWaId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var moved = new SandboxUser(user.WabaId, newWaId, user.Username, user.HidesNumber, null, null, now);
        await store.SaveAsync(moved, cancellationToken);
        var retired = user with { ChangedTo = newWaId };
        await store.SaveAsync(retired, cancellationToken);
        return (retired, moved);
    }

    /// <summary><c>CC.</c> and 20 digits, stable for the WABA and the number; CC is the number's country (ISO 3166 alpha-2).</summary>
    public static string UserIdOf(string wabaId, string waId) =>
        $"{CountryOf(waId)}.{UserIdCipher.Encrypt(ulong.Parse(waId, CultureInfo.InvariantCulture), "bsuid:" + wabaId).ToString("D20", CultureInfo.InvariantCulture)}";

    /// <summary>The parent BSUID spans business portfolios, so it depends on the number only.</summary>
    public static string ParentUserIdOf(string waId) =>
        $"{CountryOf(waId)}.ENT.{UserIdCipher.Encrypt(ulong.Parse(waId, CultureInfo.InvariantCulture), "parent").ToString("D20", CultureInfo.InvariantCulture)}";

    /// <summary>The phone number behind a BSUID or parent BSUID of this WABA, or null when the id is not one the gateway made.</summary>
    public static string? PhoneOf(string wabaId, string userId)
    {
        var parts = userId.Split('.');
        var (country, digits, tweak) = parts.Length switch
        {
            2 => (parts[0], parts[1], "bsuid:" + wabaId),
            3 when parts[1] == "ENT" => (parts[0], parts[2], "parent"),
            _ => (string.Empty, string.Empty, string.Empty),
        };
        if (digits.Length != 20 || !ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        var phone = UserIdCipher.Decrypt(value, tweak);
        var waId = phone.ToString(CultureInfo.InvariantCulture);
        return phone is >= 100_000 and < 1_000_000_000_000_000 && CountryOf(waId) == country ? waId : null;
    }

    /// <summary>The country of a phone number by its calling code (the longest known prefix); <c>ZZ</c> when unknown.</summary>
    public static string CountryOf(string waId)
    {
        for (var length = Math.Min(4, waId.Length); length >= 1; length--)
        {
            if (CallingCodes.TryGetValue(waId[..length], out var country))
            {
                return country;
            }
        }
        return "ZZ";
    }

    /// <summary>A BSUID or parent BSUID as Meta writes them.</summary>
    [GeneratedRegex(@"^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$")]
    public static partial Regex UserIdFormat();

    private static readonly Dictionary<string, string> CallingCodes = new(StringComparer.Ordinal)
    {
        ["1"] = "US", ["7"] = "RU", ["20"] = "EG", ["27"] = "ZA", ["30"] = "GR", ["31"] = "NL", ["32"] = "BE", ["33"] = "FR", ["34"] = "ES",
        ["36"] = "HU", ["39"] = "IT", ["40"] = "RO", ["41"] = "CH", ["43"] = "AT", ["44"] = "GB", ["45"] = "DK", ["46"] = "SE", ["47"] = "NO",
        ["48"] = "PL", ["49"] = "DE", ["51"] = "PE", ["52"] = "MX", ["53"] = "CU", ["54"] = "AR", ["55"] = "BR", ["56"] = "CL", ["57"] = "CO",
        ["58"] = "VE", ["60"] = "MY", ["61"] = "AU", ["62"] = "ID", ["63"] = "PH", ["64"] = "NZ", ["65"] = "SG", ["66"] = "TH", ["81"] = "JP",
        ["82"] = "KR", ["84"] = "VN", ["86"] = "CN", ["90"] = "TR", ["91"] = "IN", ["92"] = "PK", ["93"] = "AF", ["94"] = "LK", ["95"] = "MM",
        ["98"] = "IR", ["212"] = "MA", ["213"] = "DZ", ["216"] = "TN", ["234"] = "NG", ["233"] = "GH", ["254"] = "KE", ["255"] = "TZ",
        ["256"] = "UG", ["351"] = "PT", ["352"] = "LU", ["353"] = "IE", ["354"] = "IS", ["358"] = "FI", ["359"] = "BG", ["370"] = "LT",
        ["371"] = "LV", ["372"] = "EE", ["380"] = "UA", ["381"] = "RS", ["385"] = "HR", ["386"] = "SI", ["420"] = "CZ", ["421"] = "SK",
        ["852"] = "HK", ["853"] = "MO", ["855"] = "KH", ["880"] = "BD", ["886"] = "TW", ["960"] = "MV", ["961"] = "LB", ["962"] = "JO",
        ["963"] = "SY", ["964"] = "IQ", ["965"] = "KW", ["966"] = "SA", ["968"] = "OM", ["971"] = "AE", ["972"] = "IL", ["973"] = "BH",
        ["974"] = "QA", ["977"] = "NP",
    };
}
