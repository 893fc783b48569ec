using CryptoSecure.Client.Tests.Infrastructure;

namespace CryptoSecure.Client.Tests;

/// <summary>The admin operations (master key status, backup) through the generated client, against the real server in memory.</summary>
public sealed class TypedClientAdminTests(CryptoSecureServer server) : IClassFixture<CryptoSecureServer>
{
    private const string ForbiddenType = "urn:cryptosecure:problem:forbidden";

    private CryptoSecureClient NewClient(string? apiKey = null) => new(server.CreateClient()) { ApiKey = apiKey };

    [Fact]
    public async Task The_master_key_status_reads_the_current_key_id_and_the_counts()
    {
        await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = $"admin-{Guid.NewGuid():N}@example.com" });

        var status = await NewClient(server.AdminKey).GetMasterKeyStatusAsync();

        status.CurrentKeyId.Should().MatchRegex("^[0-9a-f]{16}$");
        status.Complete.Should().BeTrue();
        status.RecordsByKeyId.Should().ContainKey(status.CurrentKeyId).WhoseValue.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task The_backup_downloads_a_sqlite_snapshot_and_an_identitys_key_is_refused()
    {
        var registered = await NewClient().RegisterUserAsync(new RegisterUserRequest { Email = $"admin-{Guid.NewGuid():N}@example.com" });

        using var backup = await NewClient(server.AdminKey).GetBackupAsync();
        using var copy = new MemoryStream();
        await backup.Stream.CopyToAsync(copy);
        var refused = await Assert.ThrowsAnyAsync<CryptoSecureApiException>(() => NewClient(registered.ApiKey).GetBackupAsync());

        backup.StatusCode.Should().Be(200);
        copy.ToArray().AsSpan(0, 16).ToArray().Should().Equal("SQLite format 3\0"u8.ToArray());
        refused.StatusCode.Should().Be(403);
        refused.Problem!.Type.Should().Be(ForbiddenType);
    }
}
