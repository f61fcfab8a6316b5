using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// Turns a phone number into the digits of its BSUID and back: a keyed 8-round Feistel permutation of 64-bit values,
/// tweaked per WABA (or per purpose, for parent ids). The ids look random and differ per WABA, yet the gateway resolves
/// one without storing it, so a send by BSUID costs no lookup and a first message to a user writes no extra row. The
/// key is fixed: sandbox ids are deterministic, not secret.
/// </summary>
internal static class UserIdCipher
{
    private static readonly byte[] Key = SHA256.HashData("waba-gateway sandbox business-scoped user ids"u8);

    public static ulong Encrypt(ulong value, string tweak)
    {
        var (left, right) = ((uint)(value >> 32), (uint)value);
        for (var round = 0; round < 8; round++)
        {
            (left, right) = (right, left ^ Round(right, round, tweak));
        }
        return ((ulong)left << 32) | right;
    }

    public static ulong Decrypt(ulong value, string tweak)
    {
        var (left, right) = ((uint)(value >> 32), (uint)value);
        for (var round = 7; round >= 0; round--)
        {
            (left, right) = (right ^ Round(left, round, tweak), left);
        }
        return ((ulong)left << 32) | right;
    }

    private static uint Round(uint half, int round, string tweak)
    {
        Span<byte> input = stackalloc byte[8 + (Encoding.UTF8.GetMaxByteCount(tweak.Length))];
        BinaryPrimitives.WriteUInt32BigEndian(input, half);
        BinaryPrimitives.WriteInt32BigEndian(input[4..], round);
        var length = 8 + Encoding.UTF8.GetBytes(tweak, input[8..]);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Key, input[..length], mac);
        return BinaryPrimitives.ReadUInt32BigEndian(mac);
    }
}
