using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>Master key ids as the specification defines them, worked out here independently of the server's code, and the admin status route.</summary>
internal static class MasterKeyIds
{
    /// <summary>HMAC-SHA256 of the label "CryptoSecure master key id" under the key, first 8 bytes, lower-case hex.</summary>
    public static string Of(string base64Key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(base64Key), Encoding.ASCII.GetBytes("CryptoSecure master key id")).AsSpan(0, 8));

    /// <summary>GET /api/v1/admin/master-key with <paramref name="adminKey"/>.</summary>
    public static async Task<JsonObject> StatusAsync(HttpClient http, string adminKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/master-key");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Polls the status route until it says complete (at most two minutes).</summary>
    public static async Task<JsonObject> WaitUntilCompleteAsync(HttpClient http, string adminKey)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var status = await StatusAsync(http, adminKey);
            if ((bool)status["complete"]!)
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The master key rotation did not complete: " + status.ToJsonString());
            }

            await Task.Delay(100);
        }
    }
}
