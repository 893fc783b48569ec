using System.Runtime.Versioning;

namespace CryptoSecure.Cli.Tests;

/// <summary>The credentials file's format: per server and address, a "*" fallback, replacement in place.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class CredentialsTests : IDisposable
{
    private static readonly Uri Local = new("http://localhost:5080/");
    private static readonly Uri Other = new("https://cryptosecure.example.org");
    private readonly string _config = Directory.CreateTempSubdirectory("cryptosecure-credentials-").FullName;

    private Credentials Credentials => Credentials.Default(new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = _config });

    [Fact]
    public void Keys_are_found_by_server_and_case_insensitive_address_and_saving_again_replaces_only_that_entry()
    {
        Credentials.Save(Local, "alice@example.com", "csk_alice1");
        Credentials.Save(Local, "bob@example.com", "csk_bob");
        Credentials.Save(Other, "alice@example.com", "csk_alice_other");
        Credentials.Save(Local, "Alice@Example.com", "csk_alice2");

        Credentials.Find(new Uri("http://localhost:5080"), "ALICE@example.com").Should().Be("csk_alice2");
        Credentials.Find(Local, "bob@example.com").Should().Be("csk_bob");
        Credentials.Find(Other, "alice@example.com").Should().Be("csk_alice_other");
        Credentials.Find(Other, "bob@example.com").Should().BeNull();
        File.ReadAllLines(Credentials.FilePath).Count(l => l.Contains("csk_alice", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public void A_star_entry_serves_every_address_on_its_server_after_the_addresss_own_entry()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Credentials.FilePath)!);
        File.WriteAllText(Credentials.FilePath, "# comment\n\nhttp://localhost:5080 * admin-key\nhttp://localhost:5080 alice@example.com csk_alice\nnot a valid line\n");

        Credentials.Find(Local, "alice@example.com").Should().Be("csk_alice");
        Credentials.Find(Local, "carol@example.com").Should().Be("admin-key");
        Credentials.Find(Other, "carol@example.com").Should().BeNull();
    }

    [Fact]
    public void The_file_is_0600_in_a_0700_directory_which_is_tightened_if_it_existed_and_home_is_the_fallback()
    {
        var directory = Path.GetDirectoryName(Credentials.FilePath)!;
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);

        Credentials.Save(Local, "alice@example.com", "csk_alice");

        File.GetUnixFileMode(Credentials.FilePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(Credentials.FilePath)!).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Credentials.Default(new Dictionary<string, string?> { ["HOME"] = "/home/someone" }).FilePath.Should().Be("/home/someone/.config/cryptosecure/credentials");
    }

    [Fact]
    public async Task Concurrent_saves_each_keep_their_entry_because_the_read_change_write_is_locked()
    {
        var emails = Enumerable.Range(0, 16).Select(i => $"user{i}@example.com").ToList();

        await Task.WhenAll(emails.Select(email => Task.Run(() => Credentials.Save(Local, email, "csk_" + email[..6]))));

        foreach (var email in emails)
        {
            Credentials.Find(Local, email).Should().Be("csk_" + email[..6], "no save may lose another's entry");
        }
    }

    [Fact]
    public async Task A_save_waits_for_the_lock_another_run_holds()
    {
        Credentials.Prepare();
        var held = new FileStream(Credentials.FilePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var saving = Task.Run(() => Credentials.Save(Local, "alice@example.com", "csk_alice"));

        await Task.Delay(500);
        saving.IsCompleted.Should().BeFalse("the lock is held");
        File.Exists(Credentials.FilePath).Should().BeFalse();
        await held.DisposeAsync();
        await saving.WaitAsync(TimeSpan.FromSeconds(10));

        Credentials.Find(Local, "alice@example.com").Should().Be("csk_alice");
    }

    [Fact]
    public void A_stale_temporary_file_named_after_this_process_does_not_block_a_save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Credentials.FilePath)!);
        File.WriteAllText(Credentials.FilePath + ".tmp-" + Environment.ProcessId, "left by a crash");

        Credentials.Save(Local, "alice@example.com", "csk_alice");

        Credentials.Find(Local, "alice@example.com").Should().Be("csk_alice");
        Directory.GetFiles(Path.GetDirectoryName(Credentials.FilePath)!).Select(Path.GetFileName).Should().BeEquivalentTo(["credentials", "credentials.lock", "credentials.tmp-" + Environment.ProcessId]);
    }

    [Fact]
    public async Task A_stale_temporary_output_file_named_after_this_process_does_not_block_writing_the_result()
    {
        var target = Path.Combine(_config, "result.bin");
        File.WriteAllText(Path.Combine(_config, ".result.bin.cryptosecure-" + Environment.ProcessId), "left by a crash");

        await using (var output = Output.Open(new FileInfo(target), new CliConsole()))
        {
            output.Stream.Write("result"u8);
            await output.CommitAsync(CancellationToken.None);
        }

        File.ReadAllText(target).Should().Be("result");
    }

    [Fact]
    public void Prepare_fails_clearly_where_the_directory_cannot_be_made_and_writes_nothing()
    {
        File.WriteAllText(Path.Combine(_config, "cryptosecure"), "a file where the directory should be");

        var act = () => Credentials.Prepare();

        act.Should().Throw<CliException>().Which.Message.Should().Contain(Credentials.FilePath).And.Contain("--save");
        File.ReadAllText(Path.Combine(_config, "cryptosecure")).Should().Be("a file where the directory should be");
    }

    public void Dispose() => Directory.Delete(_config, recursive: true);
}
