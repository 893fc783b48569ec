using System.Formats.Asn1;
using System.Security.Cryptography;

namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// Reads an RSA SubjectPublicKeyInfo (RFC 5280 §4.1, RFC 8017 A.1.1) in managed code. OpenSSL 3
/// builds an encoder context for every <see cref="RSA.ExportParameters"/>, which made rendering a
/// key ring's JWKs most of a public-key read (profiled: 21 % of the CPU of a loaded GET .../keys).
/// </summary>
internal static class RsaPublicKeyDer
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>The modulus and public exponent, unsigned big-endian without leading zeros (as JWK wants them).</summary>
    /// <exception cref="CryptographicException">Not a DER RSA SubjectPublicKeyInfo.</exception>
    public static (byte[] Modulus, byte[] Exponent) Read(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        try
        {
            var spki = new AsnReader(subjectPublicKeyInfo.ToArray(), AsnEncodingRules.DER);
            var sequence = spki.ReadSequence();
            spki.ThrowIfNotEmpty();

            var algorithm = sequence.ReadSequence();
            if (algorithm.ReadObjectIdentifier() != RsaEncryptionOid)
            {
                throw new CryptographicException("Not an RSA public key.");
            }

            var bits = sequence.ReadBitString(out var unusedBits);
            sequence.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                throw new CryptographicException("Malformed RSA public key.");
            }

            var key = new AsnReader(bits, AsnEncodingRules.DER);
            var rsaPublicKey = key.ReadSequence();
            key.ThrowIfNotEmpty();
            var modulus = Unsigned(rsaPublicKey.ReadIntegerBytes().Span);
            var exponent = Unsigned(rsaPublicKey.ReadIntegerBytes().Span);
            rsaPublicKey.ThrowIfNotEmpty();
            return (modulus, exponent);
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException("Malformed RSA public key.", ex);
        }
    }

    private static byte[] Unsigned(ReadOnlySpan<byte> twosComplement)
    {
        if (twosComplement.IsEmpty || (twosComplement[0] & 0x80) != 0)
        {
            throw new CryptographicException("An RSA public key's integers are positive.");
        }

        var start = 0;
        while (start < twosComplement.Length - 1 && twosComplement[start] == 0)
        {
            start++;
        }

        return twosComplement[start..].ToArray();
    }
}
