using System.Runtime.Versioning;
using System.Security.Cryptography;
using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moq;

namespace CryptoSecure.Infrastructure.Tests.Startup;

public sealed class MasterKeyLoaderTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("cryptosecure-masterkey-");
    private readonly CapturingLogger _logger = new();

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void Base64_Security_MasterKey_is_used()
    {
        var material = RandomNumberGenerator.GetBytes(32);
        using var expected = new MasterKey((byte[])material.Clone());

        using var key = Load(new SecurityOptions { MasterKey = Convert.ToBase64String(material) }, Environments.Production);

        key.Matches(expected.CheckValue).Should().BeTrue();
        _logger.Entries.Should().BeEmpty();
    }

    [Fact]
    public void Security_MasterKey_with_surrounding_whitespace_is_used()
    {
        var material = RandomNumberGenerator.GetBytes(32);
        using var expected = new MasterKey((byte[])material.Clone());

        using var key = Load(new SecurityOptions { MasterKey = $"  {Convert.ToBase64String(material)}\n" }, Environments.Production);

        key.Matches(expected.CheckValue).Should().BeTrue();
    }

    public static TheoryData<string> NotBase64Of32Bytes() => new()
    {
        "this is not base64!",
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(31)),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(100)),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))[..^2],
    };

    [Theory]
    [MemberData(nameof(NotBase64Of32Bytes))]
    public void Security_MasterKey_that_is_not_base64_of_32_bytes_stops_start_up_without_echoing_it(string value)
    {
        var act = () => Load(new SecurityOptions { MasterKey = value }, Environments.Production);

        var message = act.Should().Throw<StartupConfigurationException>().Which.Message;
        message.Should().Contain("Security:MasterKey").And.NotContain(value);
    }

    [Fact]
    public void Security_MasterKeyFile_is_read()
    {
        var material = RandomNumberGenerator.GetBytes(32);
        using var expected = new MasterKey((byte[])material.Clone());
        var file = Path.Combine(_temp.FullName, "secret.key");
        File.WriteAllText(file, Convert.ToBase64String(material) + "\n");

        using var key = Load(new SecurityOptions { MasterKeyFile = file }, Environments.Production);

        key.Matches(expected.CheckValue).Should().BeTrue();
    }

    [Fact]
    public void Missing_Security_MasterKeyFile_stops_start_up_naming_the_setting()
    {
        var file = Path.Combine(_temp.FullName, "absent.key");

        var act = () => Load(new SecurityOptions { MasterKeyFile = file }, Environments.Production);

        act.Should().Throw<StartupConfigurationException>()
            .Which.Message.Should().Contain("Security:MasterKeyFile").And.Contain(file);
    }

    [Fact]
    public void Security_MasterKeyFile_with_bad_content_stops_start_up_without_echoing_it()
    {
        var content = Convert.ToBase64String(RandomNumberGenerator.GetBytes(20));
        var file = Path.Combine(_temp.FullName, "short.key");
        File.WriteAllText(file, content);

        var act = () => Load(new SecurityOptions { MasterKeyFile = file }, Environments.Production);

        act.Should().Throw<StartupConfigurationException>()
            .Which.Message.Should().Contain("Security:MasterKeyFile").And.NotContain(content);
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void Development_without_a_key_creates_an_owner_only_key_file_and_warns()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var dataDirectory = Path.Combine(_temp.FullName, "data", "nested");

        using var key = Load(new SecurityOptions(), Environments.Development, dataDirectory);

        var file = Path.Combine(dataDirectory, MasterKeyLoader.DevelopmentKeyFileName);
        File.Exists(file).Should().BeTrue();
        File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(dataDirectory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stored = File.ReadAllText(file).Trim();
        Convert.FromBase64String(stored).Should().HaveCount(32);
        using var fromFile = new MasterKey(Convert.FromBase64String(stored));
        key.Matches(fromFile.CheckValue).Should().BeTrue();

        var warning = _logger.Entries.Should().ContainSingle().Which;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Contain(file).And.NotContain(stored);
    }

    [Fact]
    public void Development_reuses_the_key_file_it_created()
    {
        var dataDirectory = Path.Combine(_temp.FullName, "data");
        using var first = Load(new SecurityOptions(), Environments.Development, dataDirectory);
        _logger.Entries.Clear();

        using var second = Load(new SecurityOptions(), Environments.Development, dataDirectory);

        second.CheckValue.Should().Equal(first.CheckValue);
        _logger.Entries.Should().BeEmpty("no new key was generated");
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void Development_narrows_a_key_file_others_can_read_and_keeps_using_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var dataDirectory = Path.Combine(_temp.FullName, "data");
        using var first = Load(new SecurityOptions(), Environments.Development, dataDirectory);
        var file = Path.Combine(dataDirectory, MasterKeyLoader.DevelopmentKeyFileName);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _logger.Entries.Clear();

        using var second = Load(new SecurityOptions(), Environments.Development, dataDirectory);

        second.CheckValue.Should().Equal(first.CheckValue);
        File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _logger.Entries.Should().ContainSingle().Which.Message.Should().Contain(file).And.Contain("0644").And.NotContain(File.ReadAllText(file).Trim());
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void Development_refuses_a_data_directory_others_can_write_and_writes_no_key_into_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        var dataDirectory = Directory.CreateDirectory(Path.Combine(_temp.FullName, "shared")).FullName;
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_111_111);

        var act = () => Load(new SecurityOptions(), Environments.Development, dataDirectory);

        act.Should().Throw<StartupConfigurationException>().Which.Message.Should().Contain("Storage:DataDirectory").And.Contain(dataDirectory);
        File.Exists(Path.Combine(dataDirectory, MasterKeyLoader.DevelopmentKeyFileName)).Should().BeFalse();
    }

    [Fact]
    public void Development_does_not_replace_a_damaged_key_file()
    {
        var dataDirectory = Path.Combine(_temp.FullName, "data");
        Directory.CreateDirectory(dataDirectory);
        var file = Path.Combine(dataDirectory, MasterKeyLoader.DevelopmentKeyFileName);
        File.WriteAllText(file, "damaged");

        var act = () => Load(new SecurityOptions(), Environments.Development, dataDirectory);

        act.Should().Throw<StartupConfigurationException>();
        File.ReadAllText(file).Should().Be("damaged");
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("development-like")]
    public void Outside_Development_without_a_key_start_up_stops_saying_what_to_set(string environment)
    {
        var dataDirectory = Path.Combine(_temp.FullName, "data");

        var act = () => Load(new SecurityOptions(), environment, dataDirectory);

        act.Should().Throw<StartupConfigurationException>()
            .Which.Message.Should().Contain("Security:MasterKey").And.Contain("Security:MasterKeyFile");
        File.Exists(Path.Combine(dataDirectory, MasterKeyLoader.DevelopmentKeyFileName)).Should().BeFalse();
    }

    [Fact]
    public void A_blank_Security_MasterKey_counts_as_not_set()
    {
        var act = () => Load(new SecurityOptions { MasterKey = "   " }, Environments.Production);

        act.Should().Throw<StartupConfigurationException>()
            .Which.Message.Should().Contain("Security:MasterKeyFile");
    }

    private MasterKey Load(SecurityOptions security, string environmentName, string? dataDirectory = null)
    {
        var environment = new Mock<IHostEnvironment>();
        environment.SetupGet(e => e.EnvironmentName).Returns(environmentName);
        var storage = new StorageOptions { DataDirectory = dataDirectory ?? Path.Combine(_temp.FullName, "unused") };
        return MasterKeyLoader.Load(security, storage, environment.Object, _logger);
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
