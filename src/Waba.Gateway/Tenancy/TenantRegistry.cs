using Waba.Gateway.Storage;

namespace Waba.Gateway.Tenancy;

/// <summary>Creates WABAs, their numbers and API keys; used by the admin API and the sandbox seed.</summary>
public sealed class TenantRegistry(IGatewayStore store, TimeProvider time)
{
    public async Task<BusinessAccount> CreateWabaAsync(string name, CancellationToken cancellationToken)
    {
        var waba = new BusinessAccount(Identifiers.NewNumeric(), name, time.GetUtcNow());
        await store.CreateWabaAsync(waba, cancellationToken);
        return waba;
    }

    /// <exception cref="DuplicateEntryException">The phone number is already registered.</exception>
    public async Task<Channel> CreateChannelAsync(string wabaId, string phoneNumber, HostingType hosting, string upstream, CancellationToken cancellationToken)
    {
        var channel = new Channel(Identifiers.NewOpaque("pn"), wabaId, phoneNumber, Identifiers.NewNumeric(), hosting, upstream, time.GetUtcNow());
        await store.CreateChannelAsync(channel, cancellationToken);
        return channel;
    }

    /// <summary>Issues a key; its secret exists only in the returned value.</summary>
    public async Task<IssuedApiKey> IssueApiKeyAsync(string channelId, CancellationToken cancellationToken)
    {
        var key = ApiKeys.Issue();
        await store.AddApiKeyAsync(channelId, key, time.GetUtcNow(), cancellationToken);
        return key;
    }
}
