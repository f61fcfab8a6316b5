using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Webhooks.Payloads;

/// <summary>
/// Turns what happened into webhook events, rendered once in the shape of the number's hosting type at that
/// moment; the rendered body is what every attempt sends, byte for byte.
/// </summary>
public static class WebhookEvents
{
    /// <param name="callbackData">The message's <c>biz_opaque_callback_data</c>: Meta echoes it in every status; the On-Premise API had no such field.</param>
    public static NewWebhookEvent ForStatus(Channel channel, string messageId, string recipientWaId, PlannedStatus planned, string? callbackData = null)
    {
        var timestamp = planned.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var cloud = channel.HostingType == HostingType.Cloud;
        var status = cloud && planned.Status is "sent" or "delivered"
            ? new StatusPayload(messageId, planned.Status, timestamp, recipientWaId, callbackData,
                new Conversation(ConversationId(channel, recipientWaId, planned.At), new ConversationOrigin("service")),
                new Pricing(true, "PMP", "service"))
            : new StatusPayload(messageId, planned.Status, timestamp, recipientWaId, cloud ? callbackData : null);
        if (planned.Error is { } error)
        {
            status = status with
            {
                Errors =
                [
                    cloud
                        ? new StatusErrorPayload(error.CloudCode, error.CloudTitle, error.CloudTitle, new StatusErrorData(error.Details))
                        : new StatusErrorPayload(error.OnPremiseCode, error.OnPremiseTitle, Href: "https://developers.facebook.com/docs/whatsapp/on-premises/errors"),
                ],
            };
        }
        var payload = channel.HostingType == HostingType.Cloud
            ? Cloud(channel, new CloudChangeValue("whatsapp", Metadata(channel), Statuses: [status]))
            : JsonSerializer.Serialize(new OnPremiseNotification(Statuses: [status]), PayloadJsonContext.Default.OnPremiseNotification);
        return new NewWebhookEvent(NewEventId(), channel.Id, "status." + planned.Status, channel.HostingType, payload, planned.At, messageId);
    }

    public static NewWebhookEvent ForInboundMessage(Channel channel, string profileName, InboundMessagePayload message, DateTimeOffset at)
    {
        var contact = new WebhookContact(new ContactProfile(profileName), message.From);
        var payload = channel.HostingType == HostingType.Cloud
            ? Cloud(channel, new CloudChangeValue("whatsapp", Metadata(channel), [contact], [message]))
            : JsonSerializer.Serialize(new OnPremiseNotification([contact], [message]), PayloadJsonContext.Default.OnPremiseNotification);
        return new NewWebhookEvent(NewEventId(), channel.Id, "message." + message.Type, channel.HostingType, payload, at, message.Id);
    }

    private static readonly Lock IdLock = new();
    private static long s_lastMs;
    private static int s_sequence;

    /// <summary>
    /// Event ids: unique, stable across attempts, and ordered by creation within this process (the delivery log pages
    /// by id): 48 bits of Unix milliseconds, a 16-bit sequence within the millisecond, then 64 random bits.
    /// </summary>
    public static string NewEventId()
    {
        long ms;
        int sequence;
        lock (IdLock)
        {
            ms = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), s_lastMs);
            if (ms == s_lastMs && ++s_sequence > 0xFFFF)
            {
                ms++;
                s_sequence = 0;
            }
            else if (ms != s_lastMs)
            {
                s_sequence = 0;
            }
            s_lastMs = ms;
            sequence = s_sequence;
        }
        return $"evt_{ms:x12}{sequence:x4}{System.Security.Cryptography.RandomNumberGenerator.GetHexString(16, lowercase: true)}";
    }

    private static string Cloud(Channel channel, CloudChangeValue value) =>
        JsonSerializer.Serialize(
            new CloudNotification("whatsapp_business_account", [new CloudEntry(channel.WabaId, [new CloudChange(value, "messages")])]),
            PayloadJsonContext.Default.CloudNotification);

    private static CloudMetadata Metadata(Channel channel) => new(channel.PhoneNumber, channel.PhoneNumberId);

    // One conversation per number, user and UTC day: stable enough for receivers that group by it.
    private static string ConversationId(Channel channel, string waId, DateTimeOffset at) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{channel.PhoneNumberId}:{waId}:{at.UtcDateTime:yyyyMMdd}")))[..32];
}
