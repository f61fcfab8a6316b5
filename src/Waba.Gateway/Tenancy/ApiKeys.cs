using System.Security.Cryptography;
using System.Text;

namespace Waba.Gateway.Tenancy;

/// <summary>A newly issued API key: <see cref="Secret"/> is shown to the caller once and never stored.</summary>
public sealed record IssuedApiKey(string Id, string Prefix, byte[] Hash, string Secret);

/// <summary>
/// API keys are 12 alphanumeric characters of public prefix followed by 40 of secret (about 238 bits). The prefix finds the row; the SHA-256 of
/// the whole key is compared in constant time. A fast hash is enough: the key carries 256 bits of entropy.
/// </summary>
public static class ApiKeys
{
    public const int PrefixLength = 12;
    public const string HeaderName = "D360-API-KEY";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static IssuedApiKey Issue()
    {
        // Alphanumeric, like 360dialog's keys: nothing to escape in a header, a shell or a URL.
        var prefix = RandomNumberGenerator.GetString(Alphabet, PrefixLength);
        var key = prefix + RandomNumberGenerator.GetString(Alphabet, 40);
        return new IssuedApiKey(Identifiers.NewOpaque("key"), prefix, Hash(key), key);
    }

    public static bool TryGetPrefix(string? key, out string prefix)
    {
        prefix = string.Empty;
        if (key is null || key.Length <= PrefixLength || key.Length > 128)
        {
            return false;
        }
        prefix = key[..PrefixLength];
        return true;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}
