using Waba.Gateway.Dialects;
using Waba.Gateway.Operations;
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
public sealed partial class MessageSender(
    Messaging.IMessageStore messages,
    UpstreamRegistry upstreams,
    DeliverySignal signal,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<MessageSender> logger)
{
    /// <returns>
    /// The message id and who it went to; or the upstream's refusal; or neither when the channel's upstream is not offered here.
    /// </returns>
    public async Task<(string? MessageId, ApiError? Rejection, RecipientIdentity? Recipient)> SendAsync(Channel channel, OutboundMessage message,
        CancellationToken cancellationToken)
    {
        if (upstreams.Find(channel.Upstream) is not { } upstream)
        {
            return (null, null, null);
        }
        var acceptance = await upstream.AcceptAsync(channel, message, cancellationToken);
        if (acceptance.Rejection is { } rejection)
        {
            return (null, rejection, null);
        }
        var recipient = acceptance.Recipient ?? new RecipientIdentity(message.Addressee, message.UserId is null, message.UserId is null ? message.WaId : null,
            message.UserId is null, message.UserId, null, null);
        var events = acceptance.Statuses
            .Select(status => WebhookEvents.ForStatus(channel, acceptance.MessageId, recipient, status, message.BizOpaqueCallbackData))
            .ToList();
        // The conversation is the user's: kept under their phone number when known, else under the BSUID it was sent to.
        await messages.SaveMessageAsync(
            new StoredMessage(acceptance.MessageId, channel.Id, MessageDirection.Outbound, recipient.WaId ?? message.Addressee, message.Type, message.Body, time.GetUtcNow()),
            events, cancellationToken);
        if (events.Count > 0)
        {
            signal.Notify(events.Min(e => e.OccurredAt));
        }
        metrics.MessageAccepted(message.Type, channel.HostingType.ToWire());
        LogAccepted(acceptance.MessageId, message.Type, channel.Id, events.Count);
        return (acceptance.MessageId, null, recipient);
    }

    /// <summary>Marks an inbound message of this number as read. Unknown ids, and the business's own messages, are refused.</summary>
    public async Task<ApiError?> MarkReadAsync(Channel channel, string messageId, CancellationToken cancellationToken)
    {
        var message = await messages.FindMessageAsync(channel.Id, messageId, cancellationToken);
        return message is { Direction: MessageDirection.Inbound }
            ? null
            : new ApiError(ApiErrorKind.ResourceNotFound, $"message_id: '{messageId}' is not a message this number received.");
    }

    // Ids only: message bodies and recipients stay out of the logs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} ({Type}) accepted for number {NumberId}; {Events} status events planned")]
    private partial void LogAccepted(string messageId, string type, string numberId, int events);
}
