using CryptoSecure.Infrastructure.Crypto;
using CryptoSecure.Infrastructure.FileSystem;
using CryptoSecure.Infrastructure.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Startup;

/// <summary>
/// Finds the master key: <c>Security:MasterKey</c>, else <c>Security:MasterKeyFile</c>, else (in
/// Development only) a key generated once into the data directory (0700) as an owner-only file (0600).
/// Any other environment without a key refuses to start.
/// </summary>
public static partial class MasterKeyLoader
{
    /// <summary>File name of the Development key inside the data directory.</summary>
    public const string DevelopmentKeyFileName = "master.key";

    private const string HowToSet =
        "Set Security:MasterKey to base64 of 32 random bytes (for example the environment variable Security__MasterKey=$(openssl rand -base64 32)) " +
        "or Security:MasterKeyFile to the path of a file holding it.";

    /// <summary>
    /// The current master key (<see cref="Load"/>) and the previous ones, from
    /// <c>Security:PreviousMasterKeys</c> and <c>Security:PreviousMasterKeyFiles</c>. Moving from
    /// the generated Development key to a real one is an ordinary rotation: set the real key and
    /// name the Development key file in <c>Security:PreviousMasterKeyFiles</c>.
    /// </summary>
    /// <exception cref="StartupConfigurationException">No usable current key, or a previous key that is not one.</exception>
    public static MasterKeyRing LoadRing(SecurityOptions security, StorageOptions storage, IHostEnvironment environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(security);
        var current = Load(security, storage, environment, logger);
        var previous = new List<MasterKey>();
        try
        {
            for (var i = 0; i < security.PreviousMasterKeys.Count; i++)
            {
                if (!string.IsNullOrWhiteSpace(security.PreviousMasterKeys[i]))
                {
                    previous.Add(Decode(security.PreviousMasterKeys[i], $"Security:PreviousMasterKeys:{i}"));
                }
            }

            for (var i = 0; i < security.PreviousMasterKeyFiles.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(security.PreviousMasterKeyFiles[i]))
                {
                    continue;
                }

                var path = Path.GetFullPath(security.PreviousMasterKeyFiles[i]);
                previous.Add(File.Exists(path)
                    ? Decode(File.ReadAllText(path), $"Security:PreviousMasterKeyFiles:{i} ({path})")
                    : throw new StartupConfigurationException($"Security:PreviousMasterKeyFiles:{i} names {path}, which does not exist."));
            }
        }
        catch
        {
            current.Dispose();
            previous.ForEach(k => k.Dispose());
            throw;
        }

        return new MasterKeyRing(current, previous);
    }

    /// <summary>Loads or (Development) creates the master key.</summary>
    /// <exception cref="StartupConfigurationException">No usable key.</exception>
    public static MasterKey Load(SecurityOptions security, StorageOptions storage, IHostEnvironment environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(security);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(security.MasterKey))
        {
            return Decode(security.MasterKey, "Security:MasterKey");
        }

        if (!string.IsNullOrWhiteSpace(security.MasterKeyFile))
        {
            var path = Path.GetFullPath(security.MasterKeyFile);
            return File.Exists(path)
                ? Decode(File.ReadAllText(path), $"Security:MasterKeyFile ({path})")
                : throw new StartupConfigurationException($"Security:MasterKeyFile names {path}, which does not exist. {HowToSet}");
        }

        if (!environment.IsDevelopment())
        {
            throw new StartupConfigurationException($"No master key is configured, and one is generated only in the Development environment (this is {environment.EnvironmentName}). {HowToSet}");
        }

        var keyFile = Path.GetFullPath(Path.Combine(storage.DataDirectory, DevelopmentKeyFileName));
        OwnerOnlyFiles.PrepareDirectory(Path.GetDirectoryName(keyFile)!, "Storage:DataDirectory", logger);
        if (File.Exists(keyFile))
        {
            OwnerOnlyFiles.NarrowFileIfExists(keyFile, "Storage:DataDirectory", logger);
            return Decode(File.ReadAllText(keyFile), $"the Development master key file {keyFile}");
        }

        var material = System.Security.Cryptography.RandomNumberGenerator.GetBytes(MasterKey.Length);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFiles.FileMode;
        }

        using (var writer = new StreamWriter(keyFile, options))
        {
            writer.WriteLine(Convert.ToBase64String(material));
        }

        LogGenerated(logger, keyFile);
        return new MasterKey(material);
    }

    private static MasterKey Decode(string text, string source)
    {
        var buffer = new byte[64];
        try
        {
            if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written) || written != MasterKey.Length)
            {
                throw new StartupConfigurationException($"{source} is not base64 of exactly {MasterKey.Length} bytes. {HowToSet}");
            }

            return new MasterKey(buffer[..written]);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        }
    }

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message =
        "Development: generated a new master key at {KeyFile} (owner read/write only). Every stored private key is sealed under it: " +
        "back it up. Outside Development set Security:MasterKey or Security:MasterKeyFile.")]
    private static partial void LogGenerated(ILogger logger, string keyFile);
}
