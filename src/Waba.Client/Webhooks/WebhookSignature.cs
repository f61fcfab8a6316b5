using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Waba.Client.Webhooks;

/// <summary>Why a webhook request was or was not accepted.</summary>
public enum WebhookVerification
{
    Valid,

    /// <summary>No signature header at all.</summary>
    Missing,

    /// <summary>A signature that no secret produces: forged, or signed with another secret.</summary>
    Invalid,

    /// <summary>Signed correctly but <c>webhook-timestamp</c> is outside the tolerance: a replayed request.</summary>
    Expired,
}

/// <summary>
/// Verifies a webhook's signature: the Standard Webhooks headers (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, keyed with the bytes after
/// <c>whsec_</c>) or Meta's <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> keyed with the secret (the
/// app secret on Meta). Comparisons take constant time.
/// </summary>
public static class WebhookSignature
{
    /// <summary>How far <c>webhook-timestamp</c> may be from now, as Standard Webhooks recommends.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <param name="header">Reads a request header by name (case-insensitive), <see langword="null"/> when absent.</param>
    /// <param name="secrets">Every secret in use: during a rotation both the old and the new one.</param>
    public static WebhookVerification Verify(Func<string, string?> header, ReadOnlySpan<byte> body, IEnumerable<string> secrets, DateTimeOffset now,
        TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(secrets);
        var keys = secrets.Where(s => !string.IsNullOrEmpty(s)).ToList();
        var id = header("webhook-id");
        var timestamp = header("webhook-timestamp");
        var signatures = header("webhook-signature");
        var hub = header("X-Hub-Signature-256");
        if (signatures is null && hub is null)
        {
            return WebhookVerification.Missing;
        }
        var valid = false;
        foreach (var secret in keys)
        {
            valid = signatures is not null && id is not null && timestamp is not null && VerifyStandard(secret, id, timestamp, signatures, body)
                || signatures is null && hub is not null && VerifyHub(secret, hub, body);
            if (valid)
            {
                break;
            }
        }
        if (!valid)
        {
            return WebhookVerification.Invalid;
        }
        // Meta's header carries no time; when the Standard Webhooks timestamp comes, it bounds replays either way.
        if (timestamp is not null)
        {
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > (tolerance ?? DefaultTolerance))
            {
                return WebhookVerification.Expired;
            }
        }
        return WebhookVerification.Valid;
    }

    /// <summary>One of the space-separated <c>v1,&lt;base64&gt;</c> signatures matches.</summary>
    public static bool VerifyStandard(string secret, string id, string timestamp, string signatureHeader, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signatureHeader);
        if (!TryKey(secret, out var key))
        {
            return false;
        }
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var expected = HMACSHA256.HashData(key, signed);
        foreach (var part in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }
            var given = new byte[32];
            if (Convert.TryFromBase64String(part[3..], given, out var written) && written == 32 && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Meta's <c>sha256=&lt;hex&gt;</c> matches the body keyed with the whole secret string.</summary>
    public static bool VerifyHub(string secret, string header, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(header);
        if (!header.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(7));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>Signs as the gateway does (Standard Webhooks), for tests of a receiver.</summary>
    public static string SignStandard(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        if (!TryKey(secret, out var key))
        {
            throw new ArgumentException("A Standard Webhooks secret is 'whsec_' and base64.", nameof(secret));
        }
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    private static bool TryKey(string secret, out byte[] key)
    {
        key = [];
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }
        var encoded = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret;
        try
        {
            key = Convert.FromBase64String(encoded);
            return key.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
