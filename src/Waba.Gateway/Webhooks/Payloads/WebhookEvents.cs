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
    /// <summary>A status of a message addressed by phone number to a user the gateway knows only by it (no BSUID).</summary>
    public static NewWebhookEvent ForStatus(Channel channel, string messageId, string recipientWaId, PlannedStatus planned, string? callbackData = null) =>
        ForStatus(channel, messageId, new RecipientIdentity(recipientWaId, true, recipientWaId, true, null, null, null), planned, callbackData);

    /// <summary>
    /// A status in the number's shape. Cloud (Meta's rules since April 2026): sent, delivered and read carry
    /// <c>recipient_user_id</c> and a <c>contacts</c> entry (phone only when sent to it or available, username on delivered
    /// and read); failed statuses carry no <c>contacts</c>, nor <c>recipient_user_id</c> when sent to a phone number.
    /// </summary>
    /// <param name="callbackData">The message's <c>biz_opaque_callback_data</c>: Meta echoes it in every status; the On-Premise API had no such field.</param>
    public static NewWebhookEvent ForStatus(Channel channel, string messageId, RecipientIdentity recipient, PlannedStatus planned, string? callbackData = null)
    {
        var timestamp = planned.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var cloud = channel.HostingType == HostingType.Cloud;
        var failed = planned.Error is not null;
        var recipientId = recipient.VisibleWaId ?? recipient.Input;
        var status = new StatusPayload(messageId, planned.Status, timestamp, recipientId);
        IReadOnlyList<WebhookContact>? contacts = null;
        if (cloud)
        {
            var showUserId = recipient.UserId is not null && (!failed || !recipient.SentToPhone);
            status = status with
            {
                RecipientUserId = showUserId ? recipient.UserId : null,
                RecipientParentUserId = showUserId ? recipient.ParentUserId : null,
                BizOpaqueCallbackData = callbackData,
            };
            if (planned.Status is "sent" or "delivered")
            {
                var conversationKey = recipient.WaId ?? recipient.Input;
                status = status with
                {
                    Conversation = new Conversation(ConversationId(channel, conversationKey, planned.At), new ConversationOrigin("service")),
                    Pricing = new Pricing(true, "PMP", "service"),
                };
            }
            if (!failed && recipient.UserId is not null)
            {
                var username = planned.Status is "delivered" or "read" ? recipient.Username : null;
                contacts = [new WebhookContact(username is null ? null : new ContactProfile(Username: username), recipient.VisibleWaId, recipient.UserId, recipient.ParentUserId)];
            }
        }
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
        var payload = cloud
            ? Cloud(channel, new CloudChangeValue("whatsapp", Metadata(channel), Contacts: contacts, Statuses: [status]))
            : JsonSerializer.Serialize(new OnPremiseNotification(Statuses: [status]), PayloadJsonContext.Default.OnPremiseNotification);
        return new NewWebhookEvent(NewEventId(), channel.Id, "status." + planned.Status, channel.HostingType, payload, planned.At, messageId);
    }

    /// <param name="sender">Who wrote, as the business may see them; null for a phone-only sender (the message's <c>from</c>).</param>
    public static NewWebhookEvent ForInboundMessage(Channel channel, string profileName, InboundMessagePayload message, DateTimeOffset at, RecipientIdentity? sender = null)
    {
        var cloud = channel.HostingType == HostingType.Cloud;
        var contact = sender is null
            ? new WebhookContact(new ContactProfile(profileName), message.From)
            // The On-Premise shape keeps its profile as it was; user_id beside wa_id is our extension there.
            : new WebhookContact(new ContactProfile(profileName, cloud ? sender.Username : null), sender.VisibleWaId, sender.UserId, sender.ParentUserId);
        var payload = cloud
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

    internal static string Cloud(Channel channel, CloudChangeValue value, string field = "messages") =>
        JsonSerializer.Serialize(
            new CloudNotification("whatsapp_business_account", [new CloudEntry(channel.WabaId, [new CloudChange(value, field)])]),
            PayloadJsonContext.Default.CloudNotification);

    internal static CloudMetadata Metadata(Channel channel) => new(channel.PhoneNumber, channel.PhoneNumberId);

    // One conversation per number, user and UTC day: stable enough for receivers that group by it.
    private static string ConversationId(Channel channel, string waId, DateTimeOffset at) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{channel.PhoneNumberId}:{waId}:{at.UtcDateTime:yyyyMMdd}")))[..32];
}
