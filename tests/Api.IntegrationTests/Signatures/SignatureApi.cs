using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests.Signatures;

/// <summary>Sign and verify calls as the signature tests make them.</summary>
internal static class SignatureApi
{
    public static async Task<JsonObject> SignAsync(this ApiClient api, Registered owner, object body)
    {
        var response = await api.PostAsync($"/api/v1/users/{owner.Email}/sign", body, owner.ApiKey);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ApiClient.JsonAsync(response);
    }

    /// <summary>The verify answer, anonymously (verify is public).</summary>
    public static async Task<(bool Valid, int? KeyVersion)> VerifyAsync(this ApiClient api, string email, object body)
    {
        var response = await api.PostAsync($"/api/v1/users/{email}/verify", body);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answer = await ApiClient.JsonAsync(response);
        return ((bool)answer["valid"]!, (int?)answer["keyVersion"]);
    }

    public static async Task<string> ExportAsync(this ApiClient api, Registered owner, string use, int? version = null)
    {
        var query = $"?use={use}" + (version is null ? string.Empty : $"&version={version}");
        var response = await api.GetAsync($"/api/v1/users/{owner.Email}/keys/private{query}", owner.ApiKey);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (string)(await ApiClient.JsonAsync(response))["privateKeyPem"]!;
    }

    public static async Task RotateAsync(this ApiClient api, Registered owner)
    {
        var response = await api.PostAsync($"/api/v1/users/{owner.Email}/keys/rotate", new { }, owner.ApiKey);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static async Task SetMinimumAsync(this ApiClient api, Registered owner, int minDecryptionVersion)
    {
        var response = await api.PutAsync($"/api/v1/users/{owner.Email}/keys/config", new { minDecryptionVersion }, owner.ApiKey);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
