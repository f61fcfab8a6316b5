namespace Waba.Gateway.Sandbox;

/// <summary>
/// A simulated WhatsApp user as one business portfolio (WABA) knows them: the phone number, the business-scoped user
/// id (BSUID) and parent BSUID Meta would assign, and the username features of 2026.
/// </summary>
/// <param name="HidesNumber">With a username, the phone is withheld from the business unless Meta's phone-number rules make it available.</param>
/// <param name="PhoneSharedAt">When the business last exchanged messages with the user's phone number visible (Meta's contact book and 30-day rule).</param>
/// <param name="ChangedTo">The number the user moved to; this identity is then retired (its BSUID no longer reaches anyone).</param>
/// <param name="NotOnWhatsApp">Set on the sandbox page: messages to the user fail as to a non-user (as the <c>Sandbox:NotOnWhatsApp</c> patterns do).</param>
/// <param name="NeverReads">Set on the sandbox page: the user receives but never reads (as the <c>Sandbox:NeverRead</c> patterns do).</param>
public sealed record SandboxUser(
    string WabaId,
    string WaId,
    string? Username,
    bool HidesNumber,
    DateTimeOffset? PhoneSharedAt,
    string? ChangedTo,
    DateTimeOffset CreatedAt,
    bool NotOnWhatsApp = false,
    bool NeverReads = false)
{
    /// <summary>The BSUID, derived from the WABA and the number (so never stored).</summary>
    public string UserId => UserDirectory.UserIdOf(WabaId, WaId);

    /// <summary>The parent BSUID, derived from the number alone.</summary>
    public string ParentUserId => UserDirectory.ParentUserIdOf(WaId);
}

/// <summary>
/// The sandbox's simulated users a WABA knows more of than their number (a username, a hidden number, a shared phone,
/// a number change); everyone else's ids are derived from the number (<see cref="UserDirectory"/>).
/// </summary>
public interface ISandboxUserStore
{
    Task<SandboxUser?> FindAsync(string wabaId, string waId, CancellationToken cancellationToken);

    /// <summary>Writes the user, added or with its changeable fields (username, hiding, phone sharing, number change, simulated behaviour) replaced.</summary>
    Task SaveAsync(SandboxUser user, CancellationToken cancellationToken);
}
