using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Infrastructure.Crypto;
using Jose;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// The signatures are standard: jose-jwt checks our JWSs and we check its; Python's
/// 'cryptography' and openssl check our raw signatures (PSS with salt 32, and PKCS#1 v1.5) and we
/// check theirs. Each independent check is shown to reject a tampered payload, so it is not vacuous.
/// </summary>
public sealed class SignatureInteropTests : IDisposable
{
    private const string KeyId = "0123456789abcdef0123456789abcdef-v1";
    private const string Payload = """{"message":"signed ✓"}""";

    private static readonly PayloadSigner Signer = SigningKeys.NewSigner();
    private readonly string _directory = Directory.CreateTempSubdirectory("cryptosecure-sig-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(SignatureAlgorithm.PS256, JwsAlgorithm.PS256)]
    [InlineData(SignatureAlgorithm.RS256, JwsAlgorithm.RS256)]
    public void Our_JWS_verifies_with_jose_jwt(SignatureAlgorithm algorithm, JwsAlgorithm joseAlgorithm)
    {
        using var publicKey = PublicKey(SigningKeys.Spki());

        var jws = Signer.Sign(SignedContent.Payload(Encoding.UTF8.GetBytes(Payload)), SignatureFormat.Jws, algorithm, SigningKeys.Pkcs8(), KeyId);

        JWT.Decode(jws, publicKey, joseAlgorithm).Should().Be(Payload);
        JWT.Headers(jws).Should().Contain("kid", KeyId);
        var parts = jws.Split('.');
        var tampered = $"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(Payload + " "))}.{parts[2]}";
        var decodeTampered = () => JWT.Decode(tampered, publicKey, joseAlgorithm);
        decodeTampered.Should().Throw<IntegrityException>();
    }

    [Theory]
    [InlineData(JwsAlgorithm.PS256, SignatureAlgorithm.PS256)]
    [InlineData(JwsAlgorithm.RS256, SignatureAlgorithm.RS256)]
    public void A_jose_jwt_JWS_verifies_with_us(JwsAlgorithm joseAlgorithm, SignatureAlgorithm algorithm)
    {
        using var privateKey = TestKeys.Import(SigningKeys.Pkcs8());
        var headers = new Dictionary<string, object> { ["kid"] = KeyId, ["typ"] = "JOSE" };

        var jws = JWT.Encode(Payload, privateKey, joseAlgorithm, extraHeaders: headers);

        Signer.VerifyJws(jws, SigningKeys.OnlyKey(KeyId, SigningKeys.Spki()).Lookup).Should().Be(SignatureVerification.Valid(KeyId, algorithm));
    }

    [Theory]
    [InlineData(JwsAlgorithm.HS256)]
    [InlineData(JwsAlgorithm.PS384)]
    [InlineData(JwsAlgorithm.RS512)]
    [InlineData(JwsAlgorithm.none)]
    public void A_jose_jwt_JWS_of_another_algorithm_is_malformed(JwsAlgorithm joseAlgorithm)
    {
        using var privateKey = TestKeys.Import(SigningKeys.Pkcs8());
        object key = joseAlgorithm switch
        {
            JwsAlgorithm.HS256 => SigningKeys.Spki(),
            JwsAlgorithm.none => null!,
            _ => privateKey,
        };

        var jws = JWT.Encode(Payload, key, joseAlgorithm, extraHeaders: new Dictionary<string, object> { ["kid"] = KeyId });

        Signer.VerifyJws(jws, SigningKeys.OnlyKey(KeyId, SigningKeys.Spki()).Lookup).Outcome.Should().Be(SignatureOutcome.Malformed);
    }

    [SkippableTheory]
    [InlineData(SignatureAlgorithm.PS256, false)]
    [InlineData(SignatureAlgorithm.PS256, true)]
    [InlineData(SignatureAlgorithm.RS256, false)]
    [InlineData(SignatureAlgorithm.RS256, true)]
    public void Our_raw_signature_verifies_with_Pythons_cryptography(SignatureAlgorithm algorithm, bool prehashed)
    {
        Skip.IfNot(ExternalTools.HasPythonCryptography, ExternalTools.PythonMissing);
        var payload = Encoding.UTF8.GetBytes(Payload);
        var content = prehashed ? SignedContent.Sha256Digest(SHA256.HashData(payload)) : SignedContent.Payload(payload);

        var signature = Signer.Sign(content, SignatureFormat.Raw, algorithm, SigningKeys.Pkcs8(3072), KeyId);

        PythonVerifies(signature, payload, algorithm).Should().BeTrue();
        PythonVerifies(signature, [.. payload, 0], algorithm).Should().BeFalse();
    }

    [SkippableTheory]
    [InlineData(SignatureAlgorithm.PS256)]
    [InlineData(SignatureAlgorithm.RS256)]
    public void A_raw_signature_by_Pythons_cryptography_verifies_with_us(SignatureAlgorithm algorithm)
    {
        Skip.IfNot(ExternalTools.HasPythonCryptography, ExternalTools.PythonMissing);
        const string Script = """
            import base64, os, sys
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import padding
            key = serialization.load_der_private_key(base64.b64decode(os.environ["KEY"]), password=None)
            pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32) if os.environ["ALG"] == "PS256" else padding.PKCS1v15()
            sys.stdout.write(base64.b64encode(key.sign(base64.b64decode(os.environ["MSG"]), pad, hashes.SHA256())).decode())
            """;
        var payload = Encoding.UTF8.GetBytes(Payload);

        var (exitCode, signature, error) = ExternalTools.RunPython(Script, new Dictionary<string, string>
        {
            ["KEY"] = Convert.ToBase64String(SigningKeys.Pkcs8()),
            ["ALG"] = algorithm.ToString(),
            ["MSG"] = Convert.ToBase64String(payload),
        });

        exitCode.Should().Be(0, error);
        Signer.VerifyRaw(signature, SignedContent.Payload(payload), algorithm, SigningKeys.Spki()).IsValid.Should().BeTrue();
        Signer.VerifyRaw(signature, SignedContent.Sha256Digest(SHA256.HashData(payload)), algorithm, SigningKeys.Spki()).IsValid.Should().BeTrue();
    }

    [SkippableFact]
    public void Our_raw_PSS_signature_of_a_digest_verifies_with_openssl_pkeyutl_salt_32()
    {
        Skip.IfNot(ExternalTools.HasOpenSsl, ExternalTools.OpenSslMissing);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(Payload));
        var signature = Signer.Sign(SignedContent.Sha256Digest(digest), SignatureFormat.Raw, SignatureAlgorithm.PS256, SigningKeys.Pkcs8(), KeyId);
        var (key, sig, dgst, other) = (Write("pub.pem", PublicPem()), Write("sig.bin", Convert.FromBase64String(signature)), Write("digest.bin", digest), Write("other.bin", SHA256.HashData("other"u8)));

        string[] Verify(string digestFile) =>
            ["pkeyutl", "-verify", "-pubin", "-inkey", key, "-in", digestFile, "-sigfile", sig,
             "-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:32", "-pkeyopt", "digest:sha256"];

        var result = ExternalTools.RunOpenSsl(Verify(dgst));
        result.ExitCode.Should().Be(0, result.Output + result.Error);
        ExternalTools.RunOpenSsl(Verify(other)).ExitCode.Should().NotBe(0);
    }

    [SkippableTheory]
    [InlineData(SignatureAlgorithm.PS256)]
    [InlineData(SignatureAlgorithm.RS256)]
    public void Our_raw_signature_of_a_payload_verifies_with_openssl_dgst(SignatureAlgorithm algorithm)
    {
        Skip.IfNot(ExternalTools.HasOpenSsl, ExternalTools.OpenSslMissing);
        var payload = Encoding.UTF8.GetBytes(Payload);
        var signature = Signer.Sign(SignedContent.Payload(payload), SignatureFormat.Raw, algorithm, SigningKeys.Pkcs8(4096), KeyId);
        var (key, sig, data, other) = (Write("pub.pem", PublicPem(4096)), Write("sig.bin", Convert.FromBase64String(signature)), Write("payload.bin", payload), Write("other.bin", [.. payload, 0]));
        string[] pss = algorithm == SignatureAlgorithm.PS256 ? ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"] : [];

        string[] Verify(string file) => ["dgst", "-sha256", "-verify", key, .. pss, "-signature", sig, file];

        var result = ExternalTools.RunOpenSsl(Verify(data));
        result.ExitCode.Should().Be(0, result.Output + result.Error);
        ExternalTools.RunOpenSsl(Verify(other)).ExitCode.Should().NotBe(0);
    }

    [SkippableFact]
    public void A_raw_PSS_signature_by_openssl_verifies_with_us()
    {
        Skip.IfNot(ExternalTools.HasOpenSsl, ExternalTools.OpenSslMissing);
        var payload = Encoding.UTF8.GetBytes(Payload);
        var key = Write("key.pem", PemEncoding.WriteString("PRIVATE KEY", SigningKeys.Pkcs8()));
        var (data, sig) = (Write("payload.bin", payload), Path.Combine(_directory, "sig.bin"));

        var result = ExternalTools.RunOpenSsl("dgst", "-sha256", "-sign", key, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-out", sig, data);

        result.ExitCode.Should().Be(0, result.Error);
        var signature = Convert.ToBase64String(File.ReadAllBytes(sig));
        Signer.VerifyRaw(signature, SignedContent.Payload(payload), SignatureAlgorithm.PS256, SigningKeys.Spki()).IsValid.Should().BeTrue();
    }

    private static bool PythonVerifies(string signatureBase64, byte[] payload, SignatureAlgorithm algorithm)
    {
        const string Script = """
            import base64, os, sys
            from cryptography.exceptions import InvalidSignature
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import padding
            key = serialization.load_pem_public_key(os.environ["PEM"].encode())
            pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32) if os.environ["ALG"] == "PS256" else padding.PKCS1v15()
            try:
                key.verify(base64.b64decode(os.environ["SIG"]), base64.b64decode(os.environ["MSG"]), pad, hashes.SHA256())
                sys.stdout.write("valid")
            except InvalidSignature:
                sys.stdout.write("invalid")
            """;
        var (exitCode, output, error) = ExternalTools.RunPython(Script, new Dictionary<string, string>
        {
            ["PEM"] = PublicPem(3072),
            ["ALG"] = algorithm.ToString(),
            ["SIG"] = signatureBase64,
            ["MSG"] = Convert.ToBase64String(payload),
        });
        exitCode.Should().Be(0, error);
        return output == "valid";
    }

    private static string PublicPem(int bits = 2048) => PemEncoding.WriteString("PUBLIC KEY", SigningKeys.Spki(bits));

    private static RSA PublicKey(byte[] spki)
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(spki, out _);
        return rsa;
    }

    private string Write(string name, string text) => Write(name, Encoding.ASCII.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
