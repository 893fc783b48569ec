using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Logging.Abstractions;

namespace CryptoSecure.Api.Hosting;

/// <summary>
/// <c>dotnet CryptoSecure.Api.dll restore SNAPSHOT --to PATH</c>: handled before the web host is
/// built, so nothing listens and no store is opened. The master keys come from the same
/// configuration as the server's (appsettings, environment, command line); the checks and the
/// writing are <see cref="SqliteRestore"/>'s, so another front end (the CLI) reuses them.
/// </summary>
public static class RestoreVerb
{
    /// <summary>The verb.</summary>
    public const string Name = "restore";

    /// <summary>Whether <paramref name="args"/> ask for a restore.</summary>
    public static bool IsRequested(string[] args) => args is [Name, ..];

    /// <summary>Runs the restore: one line on stdout (restored) or stderr (refused), and the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var rest = args[1..];
        var toAt = Array.IndexOf(rest, "--to");
        if (rest.Length < 3 || toAt < 0 || toAt == rest.Length - 1 || rest[0].StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync("Usage: dotnet CryptoSecure.Api.dll restore SNAPSHOT --to PATH (settings as for the server, e.g. Security__MasterKey in the environment)").ConfigureAwait(false);
            return SqliteRestore.Usage;
        }

        var snapshot = rest[0];
        var target = rest[toAt + 1];
        var settings = rest.Where((_, i) => i != 0 && i != toAt && i != toAt + 1).ToArray();
        var builder = WebApplication.CreateBuilder(settings);
        var security = builder.Configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        if (string.IsNullOrWhiteSpace(security.MasterKey) && string.IsNullOrWhiteSpace(security.MasterKeyFile)
            && !File.Exists(Path.Combine(storage.DataDirectory, MasterKeyLoader.DevelopmentKeyFileName)))
        {
            // Never generate a key here: a new key could open nothing in the snapshot.
            await error.WriteLineAsync("CryptoSecure cannot restore: no master key is configured. Set Security:MasterKey (or Security:MasterKeyFile) to the snapshot's master key.").ConfigureAwait(false);
            return StartupRefusal.ExitCode;
        }

        try
        {
            using var keys = MasterKeyLoader.LoadRing(security, storage, builder.Environment, NullLogger.Instance);
            var outcome = await SqliteRestore.RestoreAsync(snapshot, target, keys, CancellationToken.None).ConfigureAwait(false);
            await (outcome.ExitCode == SqliteRestore.Restored ? output : error).WriteLineAsync(outcome.Message).ConfigureAwait(false);
            return outcome.ExitCode;
        }
        catch (StartupConfigurationException ex)
        {
            await error.WriteLineAsync($"CryptoSecure cannot restore: {ex.Message}").ConfigureAwait(false);
            return StartupRefusal.ExitCode;
        }
    }
}
