using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Upstreams;

/// <summary>Where a channel's messages go: the built-in sandbox, or (later) Meta's Cloud API.</summary>
public interface IMessageUpstream
{
    /// <summary>The name channels are configured with (<c>"upstream": "sandbox"</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The upstream knows its users' business-scoped user ids itself (the sandbox derives them), so messages need not keep
    /// them for conversations to be found by BSUID: a send then writes no BSUID index entry.
    /// </summary>
    bool ResolvesUserIds { get; }

    /// <summary>Hands a validated message over; the answer says its id and the statuses already known to follow.</summary>
    ValueTask<UpstreamAcceptance> AcceptAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken);

    /// <summary>Marks a message the user sent as read (and shows a typing indicator when asked); null when done, else why not.</summary>
    ValueTask<Dialects.ApiError?> MarkReadAsync(Channel channel, ReadReceipt receipt, CancellationToken cancellationToken);
}

/// <param name="Statuses">Status changes the upstream already knows will happen (the sandbox plans them all).</param>
/// <param name="Rejection">Set when the upstream refused the message outright (rate limits); nothing is stored then.</param>
/// <param name="Recipient">Who the message went to, as the upstream knows them (the sandbox's users); null when unknown here.</param>
/// <param name="UpstreamAnswer">Meta's own answer (JSON), which Cloud callers get as it came.</param>
public sealed record UpstreamAcceptance(string MessageId, IReadOnlyList<PlannedStatus> Statuses, Dialects.ApiError? Rejection = null,
    RecipientIdentity? Recipient = null, string? UpstreamAnswer = null);

/// <summary>The recipient of a message as WhatsApp reports them in statuses (business-scoped user ids since April 2026).</summary>
/// <param name="Input">What the business addressed: the phone number's digits, or the BSUID / parent BSUID.</param>
/// <param name="SentToPhone">The message was addressed by phone number (<c>to</c>), not by BSUID (<c>recipient</c>).</param>
/// <param name="WaId">The user's phone number; shown only when <paramref name="PhoneAvailable"/> or sent to it.</param>
public sealed record RecipientIdentity(
    string Input,
    bool SentToPhone,
    string? WaId,
    bool PhoneAvailable,
    string? UserId,
    string? ParentUserId,
    string? Username)
{
    /// <summary>The phone number the business may see, or null.</summary>
    public string? VisibleWaId => SentToPhone || PhoneAvailable ? WaId : null;
}

/// <summary>A status notification (<c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c>) due at <see cref="At"/>.</summary>
public sealed record PlannedStatus(string Status, DateTimeOffset At, StatusError? Error = null);

/// <summary>Why a message failed, as each dialect's webhook reports it.</summary>
public sealed record StatusError(int CloudCode, string CloudTitle, int OnPremiseCode, string OnPremiseTitle, string Details)
{
    public static StatusError NotOnWhatsApp(string waId) =>
        new(131026, "Message undeliverable", 1013, "User is not valid", $"The recipient {waId} is not a WhatsApp user.");

    public static StatusError WindowClosed(string waId) =>
        new(131047, "Re-engagement message", 470, "Message failed to send because more than 24 hours have passed since the customer last replied to this number",
            $"More than 24 hours have passed since {waId} last wrote; only templates can be sent.");
}

/// <summary>The upstreams this instance offers, by name.</summary>
public sealed class UpstreamRegistry(IEnumerable<IMessageUpstream> upstreams)
{
    private readonly Dictionary<string, IMessageUpstream> _byName = upstreams.ToDictionary(u => u.Name, StringComparer.Ordinal);

    public IEnumerable<string> Names => _byName.Keys;

    public IMessageUpstream? Find(string name) => _byName.GetValueOrDefault(name);
}
