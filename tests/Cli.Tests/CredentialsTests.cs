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

    public void Dispose() => Directory.Delete(_config, recursive: true);
}
