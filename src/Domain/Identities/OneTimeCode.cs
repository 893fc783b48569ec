using System.Security.Cryptography;
using System.Text;

namespace CryptoSecure.Domain.Identities;

/// <summary>
/// A one-time code as an identity holds it: only its hash (SHA-256 of the identity's id and the
/// code, so equal codes of two identities hash apart), what it is for, how many wrong codes were
/// entered against it and when it expires. The code itself exists only in memory and in the mail.
/// </summary>
public sealed class OneTimeCode
{
    /// <summary>Wrong entries after which the code is dead: a new one must be asked for.</summary>
    public const int MaxFailures = 5;

    /// <summary>Characters of a code.</summary>
    public const int Length = 10;

    /// <summary>Upper-case letters and digits without 0/O, 1/I/L: read off a screen and typed without doubt (31 symbols, ~49.5 bits per code).</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    private readonly byte[] _hash;

    /// <summary>A code as stored.</summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes, or the failures are outside 0..<see cref="MaxFailures"/>.</exception>
    public OneTimeCode(CodePurpose purpose, [Secret] byte[] hash, int failures, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (hash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("A code hash is 32 bytes.", nameof(hash));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(failures);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(failures, MaxFailures);
        Purpose = purpose;
        _hash = (byte[])hash.Clone();
        Failures = failures;
        ExpiresAt = expiresAt;
    }

    /// <summary>What entering it proves.</summary>
    public CodePurpose Purpose { get; }

    /// <summary>The hash bytes (a copy).</summary>
    [Secret]
    public byte[] Hash => (byte[])_hash.Clone();

    /// <summary>Wrong codes entered against it.</summary>
    public int Failures { get; }

    /// <summary>When it stops working.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Whether it may still be entered at <paramref name="now"/>.</summary>
    public bool IsLive(DateTimeOffset now) => Failures < MaxFailures && now < ExpiresAt;

    /// <summary>A new random code from <see cref="Alphabet"/>, from the operating system's CSPRNG.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>
    /// The hash <paramref name="code"/> is stored as for <paramref name="identityId"/>. Case and
    /// surrounding space and dashes are forgiven, as people copy codes.
    /// </summary>
    public static byte[] HashOf(Guid identityId, string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var canonical = code.Trim().Replace("-", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var input = new byte[16 + Encoding.UTF8.GetByteCount(canonical)];
        identityId.TryWriteBytes(input);
        Encoding.UTF8.GetBytes(canonical, input.AsSpan(16));
        return SHA256.HashData(input);
    }

    /// <summary>Whether <paramref name="candidateHash"/> is this code's hash (constant time).</summary>
    public bool Matches(byte[] candidateHash) =>
        candidateHash is not null && CryptographicOperations.FixedTimeEquals(_hash, candidateHash);

    /// <summary>The same code with one more wrong entry.</summary>
    public OneTimeCode WithFailure() => new(Purpose, _hash, Math.Min(MaxFailures, Failures + 1), ExpiresAt);

    /// <inheritdoc />
    public override string ToString() => $"OneTimeCode({Purpose}, {Failures} failures, hash redacted)";
}
