using Waba.Gateway.Storage;

namespace Waba.Gateway.Tenancy;

/// <summary>Creates WABAs, their numbers and API keys; used by the admin API and the sandbox seed.</summary>
public sealed class TenantRegistry(ITenantStore tenantStore, Templates.ITemplateStore templateStore, TimeProvider time)
{
    private const string HelloWorldComponents =
        """[{"type":"HEADER","format":"TEXT","text":"Hello World"},{"type":"BODY","text":"Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us."},{"type":"FOOTER","text":"WhatsApp Business Platform sample message"}]""";

    public async Task<BusinessAccount> CreateWabaAsync(string name, CancellationToken cancellationToken)
    {
        var waba = new BusinessAccount(Identifiers.NewNumeric(), name, time.GetUtcNow());
        await tenantStore.CreateWabaAsync(waba, cancellationToken);
        // Like Meta's test numbers, every WABA starts with the approved sample template hello_world.
        await templateStore.CreateTemplateAsync(new Templates.MessageTemplate(waba.Id, "hello_world", "en_US", "UTILITY", HelloWorldComponents,
            waba.CreatedAt, waba.CreatedAt), [], cancellationToken);
        return waba;
    }

    /// <exception cref="DuplicateEntryException">The phone number is already registered.</exception>
    /// <param name="phoneNumberId">WhatsApp's id for the number; the sandbox makes one up when null.</param>
    public async Task<Channel> CreateChannelAsync(string wabaId, string phoneNumber, HostingType hosting, string upstream, CancellationToken cancellationToken,
        string? phoneNumberId = null)
    {
        var channel = new Channel(Identifiers.NewOpaque("pn"), wabaId, phoneNumber, phoneNumberId ?? Identifiers.NewNumeric(), hosting, upstream, time.GetUtcNow());
        await tenantStore.CreateChannelAsync(channel, cancellationToken);
        return channel;
    }

    /// <summary>Issues a key; its secret exists only in the returned value.</summary>
    public async Task<IssuedApiKey> IssueApiKeyAsync(string channelId, CancellationToken cancellationToken)
    {
        var key = ApiKeys.Issue();
        await tenantStore.AddApiKeyAsync(channelId, key, time.GetUtcNow(), cancellationToken);
        return key;
    }
}
