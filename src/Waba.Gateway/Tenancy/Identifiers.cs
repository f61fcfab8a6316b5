using System.Security.Cryptography;

namespace Waba.Gateway.Tenancy;

/// <summary>Creates the identifiers the gateway hands out.</summary>
public static class Identifiers
{
    /// <summary>A numeric id such as WhatsApp uses for WABAs and phone-number ids (15 digits, no leading zero).</summary>
    public static string NewNumeric()
    {
        Span<char> digits = stackalloc char[15];
        digits[0] = (char)('1' + RandomNumberGenerator.GetInt32(9));
        for (var i = 1; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }
        return new string(digits);
    }

    /// <summary>An opaque, time-ordered id with a type prefix, e.g. <c>pn_0193...</c>.</summary>
    public static string NewOpaque(string prefix) => $"{prefix}_{Guid.CreateVersion7():N}";

    /// <summary>A WhatsApp message id. URL-safe, because On-Premise clients put it in paths.</summary>
    public static string NewMessageId()
    {
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        return "wamid." + Base64Url(bytes);
    }

    internal static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
