using System.Text.Json.Nodes;

namespace Waba.Gateway.Numbers;

/// <summary>Whose state: one phone number (by the gateway's number id) or one WABA (by the gateway's WABA id).</summary>
public static class AccountStateScopes
{
    public const string Number = "number";
    public const string Waba = "waba";
}

/// <summary>
/// The latest facts WhatsApp reported about a number or a WABA (quality, messaging-limit tier, display-name review,
/// restrictions, bans): a JSON object whose members each hold the last value seen, and when it last changed.
/// </summary>
public sealed record AccountState(JsonObject Body, DateTimeOffset UpdatedAt);

/// <summary>Members to set on a number's or WABA's state; members not named keep their value.</summary>
public sealed record AccountStatePatch(string Scope, string OwnerId, JsonObject Members);

/// <summary>The kept state of numbers and WABAs, merged member by member as facts arrive.</summary>
public interface IAccountStateStore
{
    Task<AccountState?> FindAsync(string scope, string ownerId, CancellationToken cancellationToken);

    Task SaveAsync(IReadOnlyList<AccountStatePatch> patches, DateTimeOffset at, CancellationToken cancellationToken);
}
