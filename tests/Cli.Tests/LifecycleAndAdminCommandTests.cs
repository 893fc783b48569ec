using System.Runtime.Versioning;
using System.Text.Json;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Cli.Tests.Infrastructure;

namespace CryptoSecure.Cli.Tests;

/// <summary>delete with the waiting period, restore, delete --purge (admin), and the admin commands, against the real server.</summary>
[Collection(CliToolGroup.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class LifecycleAndAdminCommandTests(CliTool tool)
{
    [Fact]
    public async Task Delete_schedules_the_deletion_restore_cancels_it_and_purge_needs_an_admin_key()
    {
        var (email, key) = await tool.RegisterAsync();
        var owner = new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = key };

        var scheduled = await tool.RunAsync(["delete", email, "--yes", "--json"], null, owner);

        scheduled.ExitCode.Should().Be(0, scheduled.ToString());
        using (var answer = JsonDocument.Parse(scheduled.Stdout))
        {
            answer.RootElement.GetProperty("email").GetString().Should().Be(email);
            answer.RootElement.GetProperty("deletesAt").GetDateTimeOffset().Should().BeAfter(DateTimeOffset.UtcNow.AddDays(6), "the server's default waiting period is 7 days");
        }

        (await tool.RunAsync("keys", email)).ExitCode.Should().Be(4, "the public sees a pending deletion as gone");
        var disabled = await tool.RunAsync(["sign", email], "data"u8.ToArray(), owner);
        disabled.ExitCode.Should().Be(6, "the owner gets 409 pending-deletion: " + disabled);

        var restored = await tool.RunAsync(["restore", email], null, owner);
        restored.ExitCode.Should().Be(0, restored.ToString());
        restored.Text.Should().Contain("Restored " + email).And.Contain("Latest version");
        (await tool.RunAsync("keys", email)).ExitCode.Should().Be(0);

        var again = await tool.RunAsync(["delete", email, "--yes"], null, owner);
        again.ExitCode.Should().Be(0, again.ToString());
        again.Text.Should().Contain("scheduled").And.Contain("cryptosecure restore " + email);

        var ownerPurge = await tool.RunAsync(["delete", email, "--yes", "--purge"], null, owner);
        ownerPurge.ExitCode.Should().Be(3, "purge is for admins: " + ownerPurge);

        var purged = await tool.RunAsync(["delete", email, "--yes", "--purge"], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = tool.AdminKey });
        purged.ExitCode.Should().Be(0, purged.ToString());
        purged.Text.Should().Contain("Deleted " + email);
        (await tool.RunAsync(["restore", email], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = tool.AdminKey })).ExitCode.Should().Be(4, "nothing is left to restore");
        (purged.Text + purged.Stderr + ownerPurge.Stderr).Should().NotContain(tool.AdminKey).And.NotContain(key);
    }

    [Fact]
    public async Task Admin_master_key_shows_the_status_to_an_admin_only()
    {
        var (_, ownerKey) = await tool.RegisterAsync();

        var status = await tool.RunAsync(["admin", "master-key"], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = tool.AdminKey });
        var json = await tool.RunAsync(["admin", "master-key", "--json"], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = tool.AdminKey });
        var refused = await tool.RunAsync(["admin", "master-key"], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = ownerKey });
        var anonymous = await tool.RunAsync("admin", "master-key");

        status.ExitCode.Should().Be(0, status.ToString());
        json.ExitCode.Should().Be(0, json.ToString());
        using var answer = JsonDocument.Parse(json.Stdout);
        var current = answer.RootElement.GetProperty("currentKeyId").GetString()!;
        answer.RootElement.GetProperty("complete").GetBoolean().Should().BeTrue("one master key, nothing to re-seal");
        status.Text.Should().Contain("Current key id:  " + current).And.Contain("complete");
        refused.ExitCode.Should().Be(3, refused.ToString());
        anonymous.ExitCode.Should().Be(3, anonymous.ToString());
        (status.Text + status.Stderr + json.Text).Should().NotContain(tool.MasterKey);
    }

    [Fact]
    public async Task Admin_backup_writes_a_0600_snapshot_that_admin_restore_turns_into_a_new_store_and_never_over_an_existing_file()
    {
        var (email, key) = await tool.RegisterAsync("backedup");
        var data = "encrypted before the backup"u8.ToArray();
        var encrypted = await tool.RunAsync(["encrypt", email], data);
        encrypted.ExitCode.Should().Be(0, encrypted.ToString());
        var admin = new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = tool.AdminKey };
        var directory = Path.Combine(tool.WorkDirectory, "backup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var snapshot = Path.Combine(directory, "store.snapshot");

        var backup = await tool.RunAsync(["admin", "backup", "--out", snapshot], null, admin);

        backup.ExitCode.Should().Be(0, backup.ToString());
        File.GetUnixFileMode(snapshot).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var header = new byte[16];
        await using (var file = File.OpenRead(snapshot))
        {
            await file.ReadExactlyAsync(header);
        }

        header.Should().Equal("SQLite format 3\0"u8.ToArray());
        (await File.ReadAllBytesAsync(snapshot)).Length.Should().BeGreaterThan(4096);
        (await tool.RunAsync(["admin", "backup"], null, admin)).ExitCode.Should().Be(2, "the snapshot goes to a file given with --out");
        (await tool.RunAsync(["admin", "backup", "--out", Path.Combine(directory, "refused")], null, new Dictionary<string, string?> { ["CRYPTOSECURE_API_KEY"] = "csk_" + new string('x', 43) })).ExitCode.Should().Be(3);
        File.Exists(Path.Combine(directory, "refused")).Should().BeFalse();

        var restoreDirectory = Path.Combine(directory, "restored");
        Directory.CreateDirectory(restoreDirectory);
        var target = Path.Combine(restoreDirectory, "cryptosecure.db");
        var noKey = await tool.RunAsync("admin", "restore", snapshot, "--to", target);
        noKey.ExitCode.Should().Be(2, noKey.ToString());
        noKey.Stderr.Should().Contain("Security__MasterKey");
        var wrongKey = await tool.RunAsync(["admin", "restore", snapshot, "--to", target], null, new Dictionary<string, string?> { ["Security__MasterKey"] = Convert.ToBase64String(new byte[32]) });
        wrongKey.ExitCode.Should().NotBe(0, wrongKey.ToString());
        File.Exists(target).Should().BeFalse("a snapshot no configured key opens is not restored");

        var restored = await tool.RunAsync(["admin", "restore", snapshot, "--to", target], null, new Dictionary<string, string?> { ["Security__MasterKey"] = tool.MasterKey });

        restored.ExitCode.Should().Be(0, restored.ToString());
        File.GetUnixFileMode(target).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (restored.Text + restored.Stderr).Should().NotContain(tool.MasterKey);
        var again = await tool.RunAsync(["admin", "restore", snapshot, "--to", target], null, new Dictionary<string, string?> { ["Security__MasterKey"] = tool.MasterKey });
        again.ExitCode.Should().NotBe(0, "restore never overwrites: " + again);
        again.Stderr.Should().Contain("never overwrites");

        // A server on the restored store decrypts, for the tool, what was encrypted before the backup.
        var (second, http) = await ServerProcess.StartAsync(
            "Production",
            restoreDirectory,
            tool.MasterKey,
            new Dictionary<string, string> { ["Registration__EmailVerification"] = "Off", ["RateLimiting__Enabled"] = "false" },
            umask: "077");
        await using (second)
        {
            var decrypted = await tool.RunAsync(["decrypt", email], encrypted.Stdout, new Dictionary<string, string?> { ["CRYPTOSECURE_URL"] = http.BaseAddress!.AbsoluteUri, ["CRYPTOSECURE_API_KEY"] = key });
            http.Dispose();
            decrypted.ExitCode.Should().Be(0, decrypted.ToString());
            decrypted.Stdout.Should().Equal(data);
        }
    }
}
