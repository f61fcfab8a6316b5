namespace Waba.Client.Messages;

/// <summary>WhatsApp accepted the message: <see cref="Id"/> (<c>wamid…</c>) is what its statuses and replies name.</summary>
/// <param name="MessageStatus">"accepted" for templates on the Cloud API.</param>
/// <param name="WaId">The recipient's WhatsApp id, when WhatsApp shows it.</param>
/// <param name="UserId">The recipient's business-scoped user id, when WhatsApp shows it.</param>
public sealed record SentMessage(string Id, string? MessageStatus, string? WaId, string? UserId);

internal sealed record SendResponse(IReadOnlyList<SendResponseContact>? Contacts, IReadOnlyList<SendResponseMessage>? Messages, bool? Success);

internal sealed record SendResponseContact(string? Input, string? WaId, string? UserId);

internal sealed record SendResponseMessage(string Id, string? MessageStatus);

/// <summary>An On-Premise contacts check answer: <see cref="Status"/> is "valid" or "invalid".</summary>
public sealed record ContactStatus(string Input, string Status, string? WaId);

internal sealed record ContactCheckRequest(string Blocking, IReadOnlyList<string> Contacts);

internal sealed record ContactCheckResponse(IReadOnlyList<ContactStatus>? Contacts);
