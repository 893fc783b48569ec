using System.Collections.Concurrent;
using System.Text.Json;

namespace CryptoSecure.Infrastructure.Tests.TestVectors;

/// <summary>One RSASSA verification vector (PSS or PKCS#1 v1.5, SHA-256); the key is the group's, as SubjectPublicKeyInfo DER.</summary>
public sealed record RsaSignatureVector(int TcId, string Comment, IReadOnlyList<string> Flags, int KeySize, byte[] PublicKeySpki, byte[] Msg, byte[] Sig, WycheproofResult Result);

/// <summary>
/// One JWS vector. <see cref="Jws"/> is the compact string, or the raw JSON text when the vector
/// holds a JSON serialization; <see cref="PublicJwk"/> is the group's public key (its private key
/// when the group has no public one, as for HMAC keys).
/// </summary>
public sealed record JwsVector(int TcId, string Comment, string GroupComment, IReadOnlyList<string> Flags, JsonElement PublicJwk, string Jws, bool IsCompactString, WycheproofResult Result);

/// <summary>The signature vector files.</summary>
public static partial class Wycheproof
{
    /// <summary>The RSA signature files by key size.</summary>
    public static readonly IReadOnlyList<int> RsaSignatureKeySizes = [2048, 3072, 4096];

    private static readonly ConcurrentDictionary<int, Lazy<IReadOnlyList<RsaSignatureVector>>> RsaPssVectors = new();
    private static readonly ConcurrentDictionary<int, Lazy<IReadOnlyList<RsaSignatureVector>>> RsaPkcs1Vectors = new();
    private static readonly Lazy<IReadOnlyList<JwsVector>> JwsVectors = new(LoadJws);

    /// <summary>rsa_pss_{keySize}_sha256_mgf1_32_test.json.</summary>
    public static IReadOnlyList<RsaSignatureVector> RsaPss(int keySize) =>
        RsaPssVectors.GetOrAdd(keySize, size => new Lazy<IReadOnlyList<RsaSignatureVector>>(() => LoadRsaSignatures($"rsa_pss_{size}_sha256_mgf1_32_test.json", size, pss: true))).Value;

    /// <summary>rsa_signature_{keySize}_sha256_test.json (PKCS#1 v1.5).</summary>
    public static IReadOnlyList<RsaSignatureVector> RsaPkcs1(int keySize) =>
        RsaPkcs1Vectors.GetOrAdd(keySize, size => new Lazy<IReadOnlyList<RsaSignatureVector>>(() => LoadRsaSignatures($"rsa_signature_{size}_sha256_test.json", size, pss: false))).Value;

    /// <summary>json_web_signature_test.json, every group.</summary>
    public static IReadOnlyList<JwsVector> Jws() => JwsVectors.Value;

    /// <summary>The PSS vector <paramref name="tcId"/> of <paramref name="keySize"/>.</summary>
    public static RsaSignatureVector RsaPss(int keySize, int tcId) => Single(RsaPss(keySize), v => v.TcId == tcId, $"RSA-PSS {keySize} tcId {tcId}");

    /// <summary>The PKCS#1 v1.5 vector <paramref name="tcId"/> of <paramref name="keySize"/>.</summary>
    public static RsaSignatureVector RsaPkcs1(int keySize, int tcId) => Single(RsaPkcs1(keySize), v => v.TcId == tcId, $"RSA PKCS#1 {keySize} tcId {tcId}");

    /// <summary>The JWS vector <paramref name="tcId"/>.</summary>
    public static JwsVector Jws(int tcId) => Single(Jws(), v => v.TcId == tcId, $"JWS tcId {tcId}");

    private static List<RsaSignatureVector> LoadRsaSignatures(string fileName, int keySize, bool pss)
    {
        var root = Load(fileName);
        Expect(root.GetProperty("algorithm").GetString() == (pss ? "RSASSA-PSS" : "RSASSA-PKCS1-v1_5"), fileName, "the file is for another algorithm");
        var vectors = new List<RsaSignatureVector>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            Expect(group.GetProperty("keySize").GetInt32() == keySize, fileName, "a group has another key size");
            Expect(group.GetProperty("sha").GetString() == "SHA-256", fileName, "a group is not SHA-256");
            if (pss)
            {
                Expect(group.GetProperty("mgf").GetString() == "MGF1" && group.GetProperty("mgfSha").GetString() == "SHA-256", fileName, "a group is not MGF1-SHA-256");
                Expect(group.GetProperty("sLen").GetInt32() == 32, fileName, "a group's salt is not 32 bytes");
            }

            var spki = Hex(group, "publicKeyDer");
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                vectors.Add(new RsaSignatureVector(TcId(test), Comment(test), Flags(test), keySize, spki, Hex(test, "msg"), Hex(test, "sig"), Result(test)));
            }
        }

        ExpectCount(root, vectors.Count, fileName);
        return vectors;
    }

    private static List<JwsVector> LoadJws()
    {
        const string fileName = "json_web_signature_test.json";
        var root = Load(fileName);
        var vectors = new List<JwsVector>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            var jwk = (group.TryGetProperty("public", out var pub) ? pub : group.GetProperty("private")).Clone();
            var groupComment = group.TryGetProperty("comment", out var c) ? c.GetString() ?? string.Empty : string.Empty;
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var jws = test.GetProperty("jws");
                var isString = jws.ValueKind == JsonValueKind.String;
                vectors.Add(new JwsVector(TcId(test), Comment(test), groupComment, Flags(test), jwk, isString ? jws.GetString()! : jws.GetRawText(), isString, Result(test)));
            }
        }

        ExpectCount(root, vectors.Count, fileName);
        return vectors;
    }
}
