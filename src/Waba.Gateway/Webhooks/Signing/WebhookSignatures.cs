using System.Security.Cryptography;
using System.Text;

namespace Waba.Gateway.Webhooks.Signing;

/// <summary>
/// Standard Webhooks signatures (<c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, keyed with
/// the bytes after <c>whsec_</c>) and Meta's <c>X-Hub-Signature-256: sha256=&lt;hex HMAC of the body&gt;</c>, keyed with the
/// secret string itself so that a Cloud API receiver verifies us with the secret as its app secret.
/// </summary>
public static class WebhookSignatures
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Which secret this is, for a person to compare with the one their receiver holds: <c>whsec_</c> and its first four
    /// characters (24 of the secret's 256 bits), never the secret.
    /// </summary>
    public static string Hint(string secret) => secret.Length > SecretPrefix.Length + 4 ? secret[..(SecretPrefix.Length + 4)] + "…" : "…";

    public static string Standard(string secret, string eventId, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var prefix = Encoding.UTF8.GetBytes($"{eventId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    public static string Hub(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
