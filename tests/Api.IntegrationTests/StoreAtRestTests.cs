using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>What the store file holds: never a private key or an API key in clear.</summary>
public sealed class StoreAtRestTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    [Fact]
    public async Task The_store_files_hold_no_private_key_and_no_api_key_in_clear()
    {
        var users = new List<(Registered User, byte[] Pkcs8)>();
        for (var i = 0; i < 3; i++)
        {
            var user = await _api.RegisterAsync();
            var pem = (string)(await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{user.Email}/keys/private", user.ApiKey)))["privateKeyPem"]!;
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            users.Add((user, rsa.ExportPkcs8PrivateKey()));
            rsa.ExportParameters(true).D.Should().NotBeNull();
        }

        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(factory.DataDirectory, "cryptosecure.db*").Select(File.ReadAllBytes).ToArray();
        files.Should().NotBeEmpty();

        foreach (var (user, pkcs8) in users)
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            var parameters = rsa.ExportParameters(true);
            // The private parts of the key (the PKCS#8 DER begins with the public modulus, which is public).
            byte[][] secrets =
            [
                parameters.D!, parameters.P!, parameters.Q!, parameters.DP!, parameters.DQ!, parameters.InverseQ!,
                Encoding.UTF8.GetBytes(user.ApiKey),
                Encoding.UTF8.GetBytes(user.ApiKey["csk_".Length..]),
            ];
            foreach (var secret in secrets)
            {
                files.Count(f => Contains(f, secret)).Should().Be(0, "no private key part or API key may be stored in clear");
            }

            var apiKeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(user.ApiKey));
            files.Count(f => Contains(f, apiKeyHash)).Should().BeGreaterThan(0, "the API key's SHA-256 is what is stored (and shows the scan reads the right files)");
        }
    }

    private static bool Contains(byte[] file, byte[] secret) => file.AsSpan().IndexOf(secret) >= 0;
}
