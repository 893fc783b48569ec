using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Benchmarks.Reference;
using CryptoSecure.Infrastructure.Crypto;

// The bare reference the issue-11 table divides by: ASP.NET Core's minimal API with nothing in the
// pipeline (no auth, rate limiting, validation, store or audit), doing the crypto a CryptoSecure
// request does, with the server's own JweCompact, on RSA keys generated and imported once at start.
// Logging is left to the command line (the benchmark passes Logging__LogLevel__Default=Warning).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ReferenceJson.Default));
var app = builder.Build();

var keys = new ReferenceKeys([2048, 3072]);

app.MapPost("/encrypt/{bits:int}", (int bits, PlaintextBody body) =>
{
    if (!keys.TryGet(bits, out var key) || body.Plaintext is null)
    {
        return Results.BadRequest();
    }

    var ciphertext = JweCompact.Encrypt(Encoding.UTF8.GetBytes(body.Plaintext), key.Rsa, key.KeyId);
    return Results.Ok(new CiphertextAnswer(ciphertext, "jwe", 1));
});

app.MapPost("/decrypt/{bits:int}", (int bits, CiphertextBody body) =>
{
    if (!keys.TryGet(bits, out var key) || body.Ciphertext is null)
    {
        return Results.BadRequest();
    }

    var plaintext = JweCompact.TryDecrypt(body.Ciphertext, key.Rsa, out _);
    return plaintext is null
        ? Results.BadRequest()
        : Results.Ok(new PlaintextAnswer(Encoding.UTF8.GetString(plaintext), Convert.ToBase64String(plaintext), 1));
});

// The reference for every cheap GET (public keys, JWKS, /health/live): a small fixed JSON answer.
app.MapGet("/bare", () => Results.Ok(new BareAnswer("Healthy")));

app.Run();

namespace CryptoSecure.Benchmarks.Reference
{
    /// <summary>
    /// One RSA key per size, made at start. Each thread gets its own imported copy: the server never
    /// shares one RSA instance between concurrent requests either, and the copies keep OpenSSL's
    /// per-key set-up (Montgomery contexts, blinding) warm, as the server's key cache does.
    /// </summary>
    internal sealed class ReferenceKeys
    {
        private readonly Dictionary<int, ThreadLocal<ReferenceKey>> _bySize = [];

        public ReferenceKeys(IEnumerable<int> sizes)
        {
            foreach (var bits in sizes)
            {
                using var generated = RSA.Create(bits);
                var pkcs8 = generated.ExportPkcs8PrivateKey();
                var keyId = $"reference-{bits}.1";
                _bySize[bits] = new ThreadLocal<ReferenceKey>(() =>
                {
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                    return new ReferenceKey(rsa, keyId);
                });
            }
        }

        public bool TryGet(int bits, out ReferenceKey key)
        {
            if (_bySize.TryGetValue(bits, out var local))
            {
                key = local.Value!;
                return true;
            }

            key = null!;
            return false;
        }
    }

    /// <summary>An imported key and the "kid" its JWEs carry.</summary>
    internal sealed record ReferenceKey(RSA Rsa, string KeyId);

    /// <summary>The encrypt request, as the server reads it.</summary>
    internal sealed record PlaintextBody(string? Plaintext);

    /// <summary>The decrypt request.</summary>
    internal sealed record CiphertextBody(string? Ciphertext);

    /// <summary>The server's encrypt answer.</summary>
    internal sealed record CiphertextAnswer(string Ciphertext, string Format, int KeyVersion);

    /// <summary>The server's decrypt answer.</summary>
    internal sealed record PlaintextAnswer(string? Plaintext, string PlaintextBase64, int KeyVersion);

    /// <summary>The fixed answer of the bare GET (the shape of /health/live's).</summary>
    internal sealed record BareAnswer(string Status);
}
