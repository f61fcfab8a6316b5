using Waba.Gateway.Dialects;
using Waba.Gateway.Operations;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Messaging;

/// <summary>What became of a send: its id and who it went to, or the upstream's refusal.</summary>
/// <param name="UpstreamAnswer">The upstream's own answer, for Cloud callers of a <c>meta</c> number.</param>
public sealed record SendOutcome(string? MessageId, ApiError? Rejection, RecipientIdentity? Recipient, string? UpstreamAnswer = null);

/// <summary>
/// Sends a validated message through its channel's upstream and stores it with the status events that follow,
/// in one transaction, before the caller answers. Every upstream's messages are kept the same way, so conversations,
/// read receipts and the delivery log by user work alike for sandbox and <c>meta</c> numbers.
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
    public async Task<SendOutcome> SendAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (upstreams.Find(channel.Upstream) is not { } upstream)
        {
            return new SendOutcome(null, null, null);
        }
        var acceptance = await upstream.AcceptAsync(channel, message, cancellationToken);
        if (acceptance.Rejection is { } rejection)
        {
            return new SendOutcome(null, rejection, null);
        }
        var recipient = acceptance.Recipient ?? new RecipientIdentity(message.Addressee, message.UserId is null, message.UserId is null ? message.WaId : null,
            message.UserId is null, message.UserId, null, null);
        var events = acceptance.Statuses
            .Select(status => WebhookEvents.ForStatus(channel, acceptance.MessageId, recipient, status, message.BizOpaqueCallbackData))
            .ToList();
        // The conversation is the user's: kept under their phone number when known (a send by BSUID joins the chat the user's
        // own messages are kept in), else under the BSUID it was sent to.
        var counterpart = recipient.WaId
            ?? (recipient.UserId is { } userId ? await messages.FindCounterpartAsync(channel.Id, userId, cancellationToken) : null)
            ?? message.Addressee;
        await messages.SaveMessageAsync(
            new StoredMessage(acceptance.MessageId, channel.Id, MessageDirection.Outbound, counterpart, message.Type, message.Body, time.GetUtcNow(),
                upstream.ResolvesUserIds ? null : recipient.UserId),
            events, cancellationToken);
        if (events.Count > 0)
        {
            signal.Notify(events.Min(e => e.OccurredAt));
        }
        metrics.MessageAccepted(message.Type, channel.HostingType.ToWire());
        LogAccepted(acceptance.MessageId, message.Type, channel.Id, events.Count);
        return new SendOutcome(acceptance.MessageId, null, recipient, acceptance.UpstreamAnswer);
    }

    /// <summary>Marks a message the user sent as read; the number's upstream decides what that takes.</summary>
    public async Task<ApiError?> MarkReadAsync(Channel channel, ReadReceipt receipt, CancellationToken cancellationToken) =>
        upstreams.Find(channel.Upstream) is { } upstream
            ? await upstream.MarkReadAsync(channel, receipt, cancellationToken)
            : new ApiError(ApiErrorKind.UpstreamUnavailable, $"The upstream '{channel.Upstream}' of this number is not available.");

    // Ids only: message bodies and recipients stay out of the logs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} ({Type}) accepted for number {NumberId}; {Events} status events planned")]
    private partial void LogAccepted(string messageId, string type, string numberId, int events);
}
