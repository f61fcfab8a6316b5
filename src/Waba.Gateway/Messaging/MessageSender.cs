using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Messaging;

/// <summary>
/// Sends a validated message through its channel's upstream and stores it with the status events that follow,
/// in one transaction, before the caller answers.
/// </summary>
public sealed class MessageSender(IGatewayStore store, UpstreamRegistry upstreams, DeliverySignal signal, TimeProvider time)
{
    /// <returns>The message id, or null when the channel's upstream is not offered by this instance.</returns>
    public async Task<string?> SendAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (upstreams.Find(channel.Upstream) is not { } upstream)
        {
            return null;
        }
        var acceptance = await upstream.AcceptAsync(channel, message, cancellationToken);
        var events = acceptance.Statuses
            .Select(status => WebhookEvents.ForStatus(channel, acceptance.MessageId, message.WaId, status))
            .ToList();
        await store.SaveMessageAsync(
            new StoredMessage(acceptance.MessageId, channel.Id, MessageDirection.Outbound, message.WaId, message.Type, message.Body, time.GetUtcNow()),
            events, cancellationToken);
        signal.Notify();
        return acceptance.MessageId;
    }
}
