using System.Security.Cryptography;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Admin;

/// <summary>An admin key as listed: never its secret.</summary>
public sealed record AdminKeyInfo(string Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A stored admin key: its hash, to compare a presented key with.</summary>
public sealed record AdminKeyCandidate(string Id, byte[] Hash);

/// <summary>Named admin keys, besides <c>Admin:Token</c>: created by the API or CLI, shown once, stored hashed, revocable.</summary>
public interface IAdminKeyStore
{
    Task AddAsync(string id, string name, string prefix, byte[] hash, DateTimeOffset createdAt, CancellationToken cancellationToken);

    Task<AdminKeyCandidate?> FindAsync(string prefix, CancellationToken cancellationToken);

    Task<IReadOnlyList<AdminKeyInfo>> ListAsync(CancellationToken cancellationToken);

    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Whether any key is live: without one (and without <c>Admin:Token</c>) the admin API is off.</summary>
    Task<bool> AnyLiveAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Admin keys are <c>waba_admin_</c>, 12 characters of public prefix (which finds the row) and 40 of secret; the SHA-256
/// of the whole key is compared in constant time, as for API keys.
/// </summary>
public static class AdminKeys
{
    public const string Marker = "waba_admin_";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static (string Id, string Prefix, byte[] Hash, string Secret) Issue()
    {
        var prefix = RandomNumberGenerator.GetString(Alphabet, ApiKeys.PrefixLength);
        var key = Marker + prefix + RandomNumberGenerator.GetString(Alphabet, 40);
        return (Identifiers.NewOpaque("adm"), prefix, ApiKeys.Hash(key), key);
    }

    /// <summary>The prefix of a presented admin key, or null when it is not one.</summary>
    public static string? PrefixOf(string presented) =>
        presented.StartsWith(Marker, StringComparison.Ordinal) && presented.Length == Marker.Length + ApiKeys.PrefixLength + 40
            ? presented.Substring(Marker.Length, ApiKeys.PrefixLength)
            : null;
}
