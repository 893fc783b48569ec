namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>Why a decryption failed: logged as this code, never shown to the client.</summary>
public enum DecryptionFailure
{
    /// <summary>Not a JWE, not base64 of raw bytes.</summary>
    Malformed,

    /// <summary>JWE header not decodable JSON, or with unsupported members.</summary>
    BadHeader,

    /// <summary>JWE "alg"/"enc" other than RSA-OAEP-256/A256GCM.</summary>
    UnsupportedAlgorithm,

    /// <summary>A part has the wrong length (encrypted key, IV, tag, raw ciphertext).</summary>
    WrongLength,

    /// <summary>RSA-OAEP decryption failed (padding, wrong key).</summary>
    RsaDecryptionFailed,

    /// <summary>AES-GCM authentication failed.</summary>
    AuthenticationFailed,

    /// <summary>The ciphertext names a key version that is unknown or below the minimum.</summary>
    VersionNotAllowed,
}
