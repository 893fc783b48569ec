using System.CommandLine;
using CryptoSecure.Infrastructure.Options;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>admin restore SNAPSHOT --to PATH</c>: the server's restore (<see cref="SqliteRestore"/>, the
/// code behind <c>dotnet CryptoSecure.Api.dll restore</c>) run here, on local files: it checks the
/// snapshot's integrity, schema version and master key, and writes a new 0600 store file, never
/// over an existing one. The master keys come from the server's settings in the environment
/// (<c>Security__MasterKey</c> or <c>Security__MasterKeyFile</c>, and the previous keys), never
/// from the command line, where the process list would show them.
/// </summary>
internal static class AdminRestore
{
    public static Command Create()
    {
        var snapshot = new Argument<string>("snapshot") { Description = "The snapshot file (from admin backup)." };
        var to = new Option<string>("--to")
        {
            Description = "The new store file to write (must not exist; its directory must).",
            HelpName = "path",
            Required = true,
        };
        var command = new Command("restore", "Check a snapshot (integrity, schema version, master key) and write it as a new store file, never over an existing one: the server's own restore, run locally. The master key comes from Security__MasterKey or Security__MasterKeyFile in the environment, as for the server.")
        {
            snapshot, to,
        };
        return command.Runs(async (run, cancellationToken) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(run.Console.Variables.Where(v => v.Key.StartsWith(SecurityOptions.SectionName + "__", StringComparison.OrdinalIgnoreCase))
                .Select(v => new KeyValuePair<string, string?>(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value))).Build();
            var security = configuration.GetSection(SecurityOptions.SectionName).Get<SecurityOptions>() ?? new SecurityOptions();
            if (string.IsNullOrWhiteSpace(security.MasterKey) && string.IsNullOrWhiteSpace(security.MasterKeyFile))
            {
                // Never a generated key: it would open nothing in the snapshot.
                throw CliException.Usage("No master key: set Security__MasterKey (base64) or Security__MasterKeyFile (a file holding it) in the environment to the key of the server the snapshot came from, and Security__PreviousMasterKeys__0... for records it had not re-sealed yet.");
            }

            RestoreOutcome outcome;
            try
            {
                using var keys = MasterKeyLoader.LoadRing(security, new StorageOptions(), new ToolEnvironment(), NullLogger.Instance);
                outcome = await SqliteRestore.RestoreAsync(run.Required(snapshot), run.Get(to)!, keys, cancellationToken);
            }
            catch (StartupConfigurationException e)
            {
                throw CliException.InvalidInput("Cannot restore: " + e.Message);
            }

            if (outcome.ExitCode != SqliteRestore.Restored)
            {
                throw new CliException(outcome.ExitCode == SqliteRestore.Usage ? ExitCodes.Usage : ExitCodes.InvalidInput, outcome.Message);
            }

            await run.WriteResultAsync(new { restored = true, to = Path.GetFullPath(run.Get(to)!), message = outcome.Message }, () => outcome.Message + "\n", cancellationToken);
            return ExitCodes.Success;
        });
    }

    /// <summary>The tool is never the Development environment: no master key is ever generated here.</summary>
    private sealed class ToolEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "cryptosecure";

        public string ContentRootPath { get; set; } = Directory.GetCurrentDirectory();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
