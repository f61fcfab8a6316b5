using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Waba.Gateway.Meta;

/// <summary>Encrypts numbers' Meta access tokens at rest (AES-256-GCM, a fresh nonce per token, bound to the number's id).</summary>
public sealed class AccessTokenProtector(IOptions<MetaOptions> options)
{
    private byte[] Key()
    {
        var text = options.Value.TokenEncryptionKey;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text ?? string.Empty);
        }
        catch (FormatException)
        {
            key = [];
        }
        return key.Length == 32
            ? key
            : throw new InvalidOperationException("Meta:TokenEncryptionKey must be the base64 of 32 random bytes to keep Meta access tokens.");
    }

    public bool Configured => options.Value.TokenEncryptionKey is { Length: > 0 };

    public byte[] Protect(string channelId, string token)
    {
        var plain = Encoding.UTF8.GetBytes(token);
        var sealedToken = new byte[12 + 16 + plain.Length];
        var nonce = sealedToken.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), 16);
        aes.Encrypt(nonce, plain, sealedToken.AsSpan(28), sealedToken.AsSpan(12, 16), Encoding.UTF8.GetBytes(channelId));
        return sealedToken;
    }

    public string Unprotect(string channelId, byte[] sealedToken)
    {
        var plain = new byte[sealedToken.Length - 28];
        using var aes = new AesGcm(Key(), 16);
        aes.Decrypt(sealedToken.AsSpan(0, 12), sealedToken.AsSpan(28), sealedToken.AsSpan(12, 16), plain, Encoding.UTF8.GetBytes(channelId));
        return Encoding.UTF8.GetString(plain);
    }
}
