using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// The overload and slow-client settings (Load:*) are checked when the real server starts: a value
/// out of range stops it with one line naming the setting, never a stack trace from Kestrel.
/// </summary>
public sealed class LoadSettingsTests
{
    [Theory]
    [InlineData("Load__PrivateKeyConcurrency", "0", "Load:PrivateKeyConcurrency")]
    [InlineData("Load__PrivateKeyMaxQueuedCost", "3", "Load:PrivateKeyMaxQueuedCost")]
    [InlineData("Load__PrivateKeyMaxWaitSeconds", "0", "Load:PrivateKeyMaxWaitSeconds")]
    [InlineData("Load__PrivateKeyNice", "20", "Load:PrivateKeyNice")]
    [InlineData("Load__Connections__HeadersTimeoutSeconds", "0", "Load:Connections:HeadersTimeoutSeconds")]
    [InlineData("Load__Connections__DataRateGraceSeconds", "1", "Load:Connections:DataRateGraceSeconds")]
    [InlineData("Load__Connections__MaxConnectionsPerClient", "-1", "Load:Connections:MaxConnectionsPerClient")]
    public async Task A_load_setting_out_of_range_stops_the_server_naming_the_setting(string variable, string value, string named)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-load-settings-").FullName;
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
