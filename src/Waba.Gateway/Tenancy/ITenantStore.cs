using Waba.Gateway.Storage;

namespace Waba.Gateway.Tenancy;

/// <summary>The tenants: WABAs, their numbers (channels) and the numbers' API keys, stored hashed.</summary>
public interface ITenantStore
{
    Task<bool> HasAnyWabaAsync(CancellationToken cancellationToken);

    Task CreateWabaAsync(BusinessAccount waba, CancellationToken cancellationToken);

    Task<BusinessAccount?> FindWabaAsync(string id, CancellationToken cancellationToken);

    Task CreateChannelAsync(Channel channel, CancellationToken cancellationToken);

    Task<Channel?> FindChannelAsync(string id, CancellationToken cancellationToken);

    Task AddApiKeyAsync(string channelId, IssuedApiKey key, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>WABAs not removed, ordered by id, after the cursor.</summary>
    Task<IReadOnlyList<BusinessAccount>> ListWabasAsync(string? after, int limit, CancellationToken cancellationToken);

    Task<bool> RenameWabaAsync(string id, string name, CancellationToken cancellationToken);

    /// <summary>Removes a WABA that has no numbers left; its events and log stay.</summary>
    Task<RemoveOutcome> RemoveWabaAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Numbers not removed (of one WABA, or all), ordered by id, after the cursor.</summary>
    Task<IReadOnlyList<Channel>> ListChannelsAsync(string? wabaId, string? after, int limit, CancellationToken cancellationToken);

    Task<bool> SetChannelUpstreamAsync(string id, string upstream, CancellationToken cancellationToken);

    /// <summary>
    /// Registers (<paramref name="deregisteredAt"/> null) or deregisters a number: the next request on any instance sees it.
    /// False when no such number.
    /// </summary>
    Task<bool> SetChannelRegistrationAsync(string id, DateTimeOffset? deregisteredAt, CancellationToken cancellationToken);

    /// <summary>Removes a number and revokes its keys at once; pending deliveries of its events still go out.</summary>
    Task<RemoveOutcome> RemoveChannelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Revokes a key: the next request with it, on any instance, is refused. False when no such live key.</summary>
    Task<bool> RevokeApiKeyAsync(string channelId, string keyId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The key row with this public prefix and the channel it belongs to, or null.</summary>
    Task<ApiKeyCandidate?> FindApiKeyAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an On-Premise number to Cloud. The first number of a WABA to move makes its webhook the WABA webhook;
    /// every moved number's own webhook is removed, so its events follow the WABA webhook. Null when no such number.
    /// </summary>
    Task<Channel?> MigrateToCloudAsync(string channelId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The number with this WhatsApp phone-number id (Meta's), or null.</summary>
    Task<Channel?> FindChannelByPhoneNumberIdAsync(string phoneNumberId, CancellationToken cancellationToken);
}

public static class TenantStoreLookups
{
    /// <summary>
    /// A number named by any of its ids, as operators know it: the gateway's (<c>pn_…</c>), WhatsApp's
    /// <c>phone_number_id</c>, or the phone number itself (digits, with or without <c>+</c>, spaces or dashes).
    /// </summary>
    public static async Task<Channel?> FindChannelByAnyIdAsync(this ITenantStore store, string anyId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(anyId))
        {
            return null;
        }
        anyId = anyId.Trim();
        if (await store.FindChannelAsync(anyId, cancellationToken) is { } byId)
        {
            return byId;
        }
        if (await store.FindChannelByPhoneNumberIdAsync(anyId, cancellationToken) is { } byPhoneNumberId)
        {
            return byPhoneNumberId;
        }
        var digits = anyId.TrimStart('+').Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (digits.Length is < 6 or > 15 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        string? after = null;
        while (true)
        {
            var page = await store.ListChannelsAsync(null, after, 500, cancellationToken);
            if (page.FirstOrDefault(c => c.PhoneNumber == digits) is { } byPhone)
            {
                return byPhone;
            }
            if (page.Count < 500)
            {
                return null;
            }
            after = page[^1].Id;
        }
    }
}
