using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// Audit cursors as AES-256-GCM sealed store positions, base64url: <c>version ‖ nonce ‖ ciphertext ‖ tag</c>.
/// The associated data names the identity and the kind filter, so a cursor opens only for the
/// trail it came from; the position inside (a service-wide sequence number or ObjectId) is not
/// readable. The nonce is synthetic, HMAC-SHA256 of the associated data and the position
/// (the SIV idea, RFC 5297 §1.3.2): the same page always gets the same cursor and no count of
/// sealings can wear the key out, as random 96-bit nonces would after 2^32 (NIST SP 800-38D §8.3).
/// The key is derived from the master key (<see cref="MasterKey.AuditCursorKey"/>).
/// </summary>
public sealed class AuditCursorSealer(MasterKey masterKey) : IAuditCursors
{
    private const byte FormatVersion = 1;

    // No store position is longer (SQLite: 8 bytes; MongoDB ObjectId: 12).
    private const int MaxPositionBytes = 32;

    private const byte AllKinds = 0xFF;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("CryptoSecure audit cursor");

    /// <inheritdoc />
    public string Seal(Guid identityId, AuditKind? kind, AuditPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var plaintext = position.Bytes;
        if (plaintext.Length is 0 or > MaxPositionBytes)
        {
            throw new ArgumentException("A store position is 1 to 32 bytes.", nameof(position));
        }

        var associatedData = AssociatedData(identityId, kind);
        var key = masterKey.AuditCursorKey;
        var sealedCursor = new byte[1 + Aes256Gcm.NonceSize + plaintext.Length + Aes256Gcm.TagSize];
        sealedCursor[0] = FormatVersion;
        var nonce = sealedCursor.AsSpan(1, Aes256Gcm.NonceSize);
        SyntheticNonce(key[Aes256Gcm.KeySize..], associatedData, plaintext, nonce);
        Aes256Gcm.Encrypt(
            key[..Aes256Gcm.KeySize],
            nonce,
            plaintext,
            sealedCursor.AsSpan(1 + Aes256Gcm.NonceSize, plaintext.Length),
            sealedCursor.AsSpan(sealedCursor.Length - Aes256Gcm.TagSize),
            associatedData);
        return Base64Url.EncodeToString(sealedCursor);
    }

    /// <inheritdoc />
    public AuditPosition? Open(Guid identityId, AuditKind? kind, string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        byte[] sealedCursor;
        try
        {
            sealedCursor = Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException)
        {
            return null;
        }

        var positionLength = sealedCursor.Length - 1 - Aes256Gcm.NonceSize - Aes256Gcm.TagSize;
        if (positionLength is < 1 or > MaxPositionBytes || sealedCursor[0] != FormatVersion)
        {
            return null;
        }

        var position = new byte[positionLength];
        var opened = Aes256Gcm.TryDecrypt(
            masterKey.AuditCursorKey[..Aes256Gcm.KeySize],
            sealedCursor.AsSpan(1, Aes256Gcm.NonceSize),
            sealedCursor.AsSpan(1 + Aes256Gcm.NonceSize, positionLength),
            sealedCursor.AsSpan(sealedCursor.Length - Aes256Gcm.TagSize),
            position,
            AssociatedData(identityId, kind));
        return opened ? new AuditPosition(position) : null;
    }

    private static byte[] AssociatedData(Guid identityId, AuditKind? kind)
    {
        var data = new byte[Label.Length + 1 + 16 + 1];
        Label.CopyTo(data, 0);
        data[Label.Length] = FormatVersion;
        identityId.TryWriteBytes(data.AsSpan(Label.Length + 1, 16));
        data[^1] = kind is { } k ? (byte)k : AllKinds;
        return data;
    }

    private static void SyntheticNonce(ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> position, Span<byte> nonce)
    {
        Span<byte> input = stackalloc byte[associatedData.Length + position.Length];
        associatedData.CopyTo(input);
        position.CopyTo(input[associatedData.Length..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(macKey, input, mac);
        mac[..nonce.Length].CopyTo(nonce);
    }
}
