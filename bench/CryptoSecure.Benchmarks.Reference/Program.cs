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
