namespace CryptoSecure.Application.Common.Ports;

/// <summary>Signs with a private signing key and checks signatures with public ones, in the service's formats.</summary>
/// <remarks>
/// Keys are RSA of at least <see cref="MinimumKeySizeBits"/> bits. Verification never throws for
/// what a client sent: every signature that does not verify is <see cref="SignatureOutcome.Invalid"/>,
/// every input that is not a supported signature is <see cref="SignatureOutcome.Malformed"/>.
/// </remarks>
public interface IPayloadSigner
{
    /// <summary>Smaller RSA keys neither sign nor verify (NIST SP 800-131A: 2048 bits at least).</summary>
    const int MinimumKeySizeBits = 2048;

    /// <summary>Signs <paramref name="content"/>.</summary>
    /// <param name="content">The payload, or (raw format only) its 32-byte SHA-256 digest; the caller checks both rules first.</param>
    /// <param name="format">JWS compact or raw base64.</param>
    /// <param name="algorithm">PS256 or RS256.</param>
    /// <param name="privateKeyPkcs8">The opened signing key (PKCS#8 DER).</param>
    /// <param name="keyId">The JWS "kid"; unused by the raw format.</param>
    /// <returns>The JWS compact string, or standard base64 of the raw signature.</returns>
    /// <exception cref="ArgumentException">A digest with the JWS format, or a digest that is not 32 bytes.</exception>
    /// <exception cref="Exceptions.KeyIntegrityException">The key bytes are not an RSA private key.</exception>
    string Sign(SignedContent content, SignatureFormat format, SignatureAlgorithm algorithm, ReadOnlySpan<byte> privateKeyPkcs8, string keyId);

    /// <summary>Checks a JWS compact serialization, with the key its header's "kid" names.</summary>
    /// <param name="jws">The JWS as the client sent it.</param>
    /// <param name="keys">Finds the signing key for a "kid"; called at most once, after the header passed its checks.</param>
    SignatureVerification VerifyJws(string jws, SigningKeyLookup keys);

    /// <summary>Checks a raw signature (standard base64) over <paramref name="content"/> with one public key.</summary>
    /// <remarks>
    /// A raw signature names no key: to find which version signed it, call this for each candidate
    /// key (a cheap public-key operation); a malformed answer is the same for every key.
    /// </remarks>
    SignatureVerification VerifyRaw(string signatureBase64, SignedContent content, SignatureAlgorithm algorithm, ReadOnlySpan<byte> publicKeySpki);
}
