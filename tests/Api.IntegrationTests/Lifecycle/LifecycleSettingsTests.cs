using System.Security.Cryptography;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests.Lifecycle;

/// <summary>The lifecycle settings are checked when the real server starts: out of range stops it, naming the setting (nothing clamped).</summary>
public sealed class LifecycleSettingsTests
{
    [Theory]
    [InlineData("Keys__DeletionWaitingDays", "91", "Keys:DeletionWaitingDays")]
    [InlineData("Keys__DeletionWaitingDays", "-1", "Keys:DeletionWaitingDays")]
    [InlineData("Keys__AutoRotation__MinimumPeriodSeconds", "10", "Keys:AutoRotation:MinimumPeriodSeconds")]
    public async Task A_lifecycle_setting_out_of_range_stops_the_server_naming_the_setting(string variable, string value, string named)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cryptosecure-lifecycle-settings-").FullName;
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
