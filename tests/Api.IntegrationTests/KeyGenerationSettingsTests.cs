using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Key generation settings are checked when the real server starts: out of range, or the retired
/// request-count bound, stops it with a message naming the setting; nothing is clamped. (Every
/// rule is covered by KeyGenerationOptionsTests; these show the server acts on them.)
/// </summary>
public sealed class KeyGenerationSettingsTests
{
    [Theory]
    [InlineData("Keys__Generation__PoolShare", "1", "Keys:Generation:PoolShare")]
    [InlineData("Keys__MaxQueuedGenerations", "32", "Keys:Generation:MaxQueuedCost")]
    public async Task A_key_generation_setting_out_of_range_or_retired_stops_the_server_naming_the_setting(string variable, string value, string named)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-keygen-settings-").FullName;
        try
        {
            var exit = await ServerProcess.RunUntilExitAsync(
                "Production", dataDirectory, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), new Dictionary<string, string> { [variable] = value });

            exit.ShouldBeOneLineRefusal(named);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
