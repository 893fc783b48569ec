using System.Collections.Concurrent;
using System.Text.Json;

namespace CryptoSecure.Infrastructure.Tests.TestVectors;

/// <summary>What Wycheproof says an implementation must do with a vector.</summary>
public enum WycheproofResult
{
    /// <summary>Must be accepted and give the stated result.</summary>
    Valid,

    /// <summary>Must be rejected.</summary>
    Invalid,

    /// <summary>May be accepted or rejected (a legacy or borderline case).</summary>
    Acceptable,
}

/// <summary>One RSAES-OAEP decryption vector.</summary>
public sealed record RsaOaepVector(int TcId, string Comment, IReadOnlyList<string> Flags, byte[] PrivateKeyPkcs8, byte[] Msg, byte[] Ct, byte[] Label, WycheproofResult Result);

/// <summary>One AEAD vector.</summary>
public sealed record AesGcmVector(int TcId, string Comment, IReadOnlyList<string> Flags, byte[] Key, byte[] Iv, byte[] Aad, byte[] Msg, byte[] Ct, byte[] Tag, WycheproofResult Result);

/// <summary>
/// One JWE vector. <see cref="Jwe"/> is the compact string, or the raw JSON text when the vector
/// holds a JSON object; <see cref="PrivateJwk"/> is the group's key.
/// </summary>
public sealed record JweVector(int TcId, string Comment, string GroupComment, IReadOnlyList<string> Flags, JsonElement PrivateJwk, string Jwe, bool IsCompactString, byte[]? Pt, WycheproofResult Result);

/// <summary>
/// Loads Project Wycheproof vectors (C2SP/wycheproof, Apache-2.0) copied next to the test binaries.
/// A missing or unexpected file throws, naming the path: a vector file that silently yields no cases
/// would let every vector test pass without running.
/// </summary>
public static partial class Wycheproof
{
    /// <summary>The RSA-OAEP files by key size.</summary>
    public static readonly IReadOnlyList<int> RsaOaepKeySizes = [2048, 3072, 4096];

    private static readonly ConcurrentDictionary<string, Lazy<JsonDocument>> Documents = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, Lazy<IReadOnlyList<RsaOaepVector>>> RsaOaepVectors = new();
    private static readonly Lazy<IReadOnlyList<AesGcmVector>> AesGcmVectors = new(LoadAesGcm256);
    private static readonly Lazy<IReadOnlyList<JweVector>> JweVectors = new(LoadJwe);

    /// <summary>Where <paramref name="fileName"/> is expected.</summary>
    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestVectors", "wycheproof", fileName);

    /// <summary>The parsed file.</summary>
    /// <exception cref="FileNotFoundException">The file is not next to the test binaries.</exception>
    public static JsonElement Load(string fileName) =>
        Documents.GetOrAdd(fileName, name => new Lazy<JsonDocument>(() => Parse(PathOf(name)))).Value.RootElement;

    /// <summary>rsa_oaep_{keySize}_sha256_mgf1sha256_test.json.</summary>
    public static IReadOnlyList<RsaOaepVector> RsaOaep(int keySize) =>
        RsaOaepVectors.GetOrAdd(keySize, size => new Lazy<IReadOnlyList<RsaOaepVector>>(() => LoadRsaOaep(size))).Value;

    /// <summary>aes_gcm_test.json, only the groups with a 256-bit key, 96-bit IV and 128-bit tag.</summary>
    public static IReadOnlyList<AesGcmVector> AesGcm256() => AesGcmVectors.Value;

    /// <summary>json_web_encryption_test.json, every group.</summary>
    public static IReadOnlyList<JweVector> Jwe() => JweVectors.Value;

    /// <summary>The RSA-OAEP vector <paramref name="tcId"/> of <paramref name="keySize"/>.</summary>
    public static RsaOaepVector RsaOaep(int keySize, int tcId) => Single(RsaOaep(keySize), v => v.TcId == tcId, $"RSA-OAEP {keySize} tcId {tcId}");

    /// <summary>The AES-GCM vector <paramref name="tcId"/>.</summary>
    public static AesGcmVector AesGcm256(int tcId) => Single(AesGcm256(), v => v.TcId == tcId, $"AES-GCM tcId {tcId}");

    /// <summary>The JWE vector <paramref name="tcId"/>.</summary>
    public static JweVector Jwe(int tcId) => Single(Jwe(), v => v.TcId == tcId, $"JWE tcId {tcId}");

    private static JsonDocument Parse(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Wycheproof vector file {path} is missing. The test project copies tests/TestVectors/wycheproof next to its binaries; " +
                "a missing file must fail the run, never skip it.",
                path);
        }

        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    private static List<RsaOaepVector> LoadRsaOaep(int keySize)
    {
        var fileName = $"rsa_oaep_{keySize}_sha256_mgf1sha256_test.json";
        var root = Load(fileName);
        var vectors = new List<RsaOaepVector>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            Expect(group.GetProperty("keySize").GetInt32() == keySize, fileName, "a group has another key size");
            Expect(group.GetProperty("sha").GetString() == "SHA-256" && group.GetProperty("mgfSha").GetString() == "SHA-256", fileName, "a group is not SHA-256 with MGF1-SHA-256");
            var pkcs8 = Hex(group, "privateKeyPkcs8");
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                vectors.Add(new RsaOaepVector(TcId(test), Comment(test), Flags(test), pkcs8, Hex(test, "msg"), Hex(test, "ct"), Hex(test, "label"), Result(test)));
            }
        }

        ExpectCount(root, vectors.Count, fileName);
        return vectors;
    }

    private static List<AesGcmVector> LoadAesGcm256()
    {
        const string fileName = "aes_gcm_test.json";
        var root = Load(fileName);
        var vectors = new List<AesGcmVector>();
        var total = 0;
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            var tests = group.GetProperty("tests");
            total += tests.GetArrayLength();
            if (group.GetProperty("keySize").GetInt32() != 256 || group.GetProperty("ivSize").GetInt32() != 96 || group.GetProperty("tagSize").GetInt32() != 128)
            {
                continue;
            }

            foreach (var test in tests.EnumerateArray())
            {
                vectors.Add(new AesGcmVector(
                    TcId(test), Comment(test), Flags(test), Hex(test, "key"), Hex(test, "iv"), Hex(test, "aad"), Hex(test, "msg"), Hex(test, "ct"), Hex(test, "tag"), Result(test)));
            }
        }

        ExpectCount(root, total, fileName);
        Expect(vectors.Count > 0, fileName, "no group has keySize 256, ivSize 96, tagSize 128");
        return vectors;
    }

    private static List<JweVector> LoadJwe()
    {
        const string fileName = "json_web_encryption_test.json";
        var root = Load(fileName);
        var vectors = new List<JweVector>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            var jwk = group.GetProperty("private").Clone();
            var groupComment = group.TryGetProperty("comment", out var c) ? c.GetString() ?? string.Empty : string.Empty;
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var jwe = test.GetProperty("jwe");
                var isString = jwe.ValueKind == JsonValueKind.String;
                vectors.Add(new JweVector(
                    TcId(test),
                    Comment(test),
                    groupComment,
                    Flags(test),
                    jwk,
                    isString ? jwe.GetString()! : jwe.GetRawText(),
                    isString,
                    test.TryGetProperty("pt", out _) ? Hex(test, "pt") : null,
                    Result(test)));
            }
        }

        ExpectCount(root, vectors.Count, fileName);
        return vectors;
    }

    private static T Single<T>(IReadOnlyList<T> vectors, Func<T, bool> match, string what)
    {
        var found = vectors.Where(match).ToArray();
        return found.Length == 1 ? found[0] : throw new InvalidOperationException($"Expected exactly one Wycheproof vector {what}, found {found.Length}.");
    }

    private static void ExpectCount(JsonElement root, int count, string fileName)
    {
        if (root.TryGetProperty("numberOfTests", out var declared))
        {
            Expect(declared.GetInt32() == count, fileName, $"numberOfTests says {declared.GetInt32()} but {count} tests were read");
        }

        Expect(count > 0, fileName, "no tests were read");
    }

    private static void Expect(bool condition, string fileName, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Wycheproof vector file {PathOf(fileName)}: {problem}.");
        }
    }

    private static int TcId(JsonElement test) => test.GetProperty("tcId").GetInt32();

    private static string Comment(JsonElement test) => test.TryGetProperty("comment", out var c) ? c.GetString() ?? string.Empty : string.Empty;

    private static string[] Flags(JsonElement test) =>
        test.TryGetProperty("flags", out var flags) ? flags.EnumerateArray().Select(f => f.GetString()!).ToArray() : [];

    private static byte[] Hex(JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);

    private static WycheproofResult Result(JsonElement test) => test.GetProperty("result").GetString() switch
    {
        "valid" => WycheproofResult.Valid,
        "invalid" => WycheproofResult.Invalid,
        "acceptable" => WycheproofResult.Acceptable,
        var other => throw new InvalidDataException($"Unknown Wycheproof result '{other}' in tcId {TcId(test)}."),
    };
}
