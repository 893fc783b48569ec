namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>One valid call of every owner route, for the tests that knock on all of them.</summary>
internal static class OwnerRoutes
{
    public const string PrototypeDecrypt = "prototype-decrypt";

    public static TheoryData<string> All => new()
    {
        "decrypt", "export", "export-signing-key", "sign", "rotate", "configure", "rewrap", "audit", "delete", PrototypeDecrypt,
    };

    /// <summary>The ciphertext a route takes (hex raw RSA-OAEP for the prototype's), for <paramref name="email"/>.</summary>
    public static Task<string> CiphertextForAsync(ApiClient api, string route, string email) =>
        api.EncryptAsync(email, "owner's secret", route == PrototypeDecrypt ? "rsa-oaep" : "jwe");

    public static Task<HttpResponseMessage> CallAsync(ApiClient api, string route, string email, string ciphertext, string? apiKey) => route switch
    {
        "decrypt" => api.DecryptAsync(email, ciphertext, apiKey),
        "export" => api.GetAsync($"/api/v1/users/{email}/keys/private", apiKey),
        "export-signing-key" => api.GetAsync($"/api/v1/users/{email}/keys/private?use=sig", apiKey),
        "sign" => api.PostAsync($"/api/v1/users/{email}/sign", new { payload = "owner's document" }, apiKey),
        "rotate" => api.PostAsync($"/api/v1/users/{email}/keys/rotate", new { }, apiKey),
        "configure" => api.PutAsync($"/api/v1/users/{email}/keys/config", new { minDecryptionVersion = 1 }, apiKey),
        "rewrap" => api.PostAsync($"/api/v1/users/{email}/rewrap", new { ciphertext }, apiKey),
        "audit" => api.GetAsync($"/api/v1/users/{email}/audit", apiKey),
        "delete" => api.DeleteAsync($"/api/v1/users/{email}", apiKey),
        PrototypeDecrypt => api.PostAsync($"/decrypt/{email}", new { ciphertext = Convert.ToHexStringLower(Convert.FromBase64String(ciphertext)) }, apiKey),
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };
}
