using System.Buffers;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Tend.Core.Identity;

/// <summary>
/// The secret of an API token: a prefix saying what it is (<c>tend_pat_</c> for a person, <c>tend_sa_</c> for a service
/// account), 32 random base62 characters (190 bits) and a 6-character CRC-32 checksum of what precedes it, as GitHub's
/// tokens are made: a leaked token is recognisable by a secret scanner, and a mistyped one is refused without a lookup.
/// Only its SHA-256 is stored; the secret is shown once, when it is made.
/// </summary>
public static class TokenSecret
{
    public const string PersonPrefix = "tend_pat_";
    public const string ServicePrefix = "tend_sa_";
    private const int RandomLength = 32;
    private const int ChecksumLength = 6;
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> Digits = SearchValues.Create(Base62);

    public static string New(TokenKind kind)
    {
        var body = Prefix(kind) + new string(RandomNumberGenerator.GetItems<char>(Base62, RandomLength));
        return body + Checksum(body);
    }

    public static string Prefix(TokenKind kind) => kind == TokenKind.Person ? PersonPrefix : ServicePrefix;

    /// <summary>Whether <paramref name="text"/> is shaped like a Tend token: a known prefix, the length, base62, a matching checksum.</summary>
    public static bool IsWellFormed(string text)
    {
        var prefix = text.StartsWith(PersonPrefix, StringComparison.Ordinal) ? PersonPrefix
            : text.StartsWith(ServicePrefix, StringComparison.Ordinal) ? ServicePrefix : null;
        if (prefix is null || text.Length != prefix.Length + RandomLength + ChecksumLength || text.AsSpan(prefix.Length).ContainsAnyExcept(Digits))
            return false;
        var body = text[..^ChecksumLength];
        return text.EndsWith(Checksum(body), StringComparison.Ordinal);
    }

    /// <summary>Whether a request's credential is meant as a Tend token (then it is judged as one, never passed to another scheme).</summary>
    public static bool LooksLikeOne(string text) => text.StartsWith("tend_", StringComparison.Ordinal);

    /// <summary>What is stored of a token: its SHA-256, hex (a token's 190 random bits need no slow hash).</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Checksum(string body)
    {
        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body)); // IEEE 802.3, as zlib's
        var digits = new char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--, crc /= 62)
            digits[i] = Base62[(int)(crc % 62)];
        return new string(digits);
    }
}
