using System.Security.Cryptography;
using System.Text;

namespace CryptoSecure.Cli;

/// <summary>
/// The credentials file: <c>$XDG_CONFIG_HOME/cryptosecure/credentials</c> (by default
/// <c>~/.config/cryptosecure/credentials</c>), one identity per line, <c>SERVER EMAIL API-KEY</c>
/// separated by spaces; <c>#</c> starts a comment. <c>*</c> as EMAIL applies to every identity on
/// that server (an admin key). The file is created 0600 and its directory 0700; the key is read
/// from here rather than from the command line, so it never shows in the process list.
/// </summary>
internal sealed class Credentials
{
    private const string Header = "# cryptosecure credentials: one identity per line, \"SERVER EMAIL API-KEY\" (EMAIL * = any identity on SERVER). Keep this file 0600.";

    private Credentials(string path) => FilePath = path;

    public string FilePath { get; }

    /// <summary>The file of this environment (XDG_CONFIG_HOME, else ~/.config).</summary>
    public static Credentials Default(IReadOnlyDictionary<string, string?> environment)
    {
        var config = environment.GetValueOrDefault("XDG_CONFIG_HOME");
        if (string.IsNullOrWhiteSpace(config) || !Path.IsPathRooted(config))
        {
            var home = environment.GetValueOrDefault("HOME");
            if (string.IsNullOrWhiteSpace(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            config = Path.Combine(home, ".config");
        }

        return new Credentials(Path.Combine(config, "cryptosecure", "credentials"));
    }

    /// <summary>The key saved for <paramref name="email"/> on <paramref name="server"/> (else that server's <c>*</c> entry), or null.</summary>
    public string? Find(Uri server, string? email)
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(FilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Auth, $"Cannot read the credentials file {FilePath}: {e.GetType().Name}. Fix its permissions, or set CRYPTOSECURE_API_KEY.");
        }

        var serverKey = Normalize(server);
        string? wildcard = null;
        foreach (var entry in lines.Select(Parse).OfType<Entry>().Where(e => e.Server == serverKey))
        {
            if (email is not null && string.Equals(entry.Email, email.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return entry.ApiKey;
            }

            if (entry.Email == "*")
            {
                wildcard ??= entry.ApiKey;
            }
        }

        return wildcard;
    }

    /// <summary>How long <see cref="Save"/> waits for another cryptosecure to finish with the file.</summary>
    public static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(10);

    private string LockPath => FilePath + ".lock";

    /// <summary>
    /// Checks, before anything irreversible (a registration whose key is shown once), that
    /// <see cref="Save"/> can work here: the directory can be made (0700), a new file can be
    /// created in it, the lock can be taken and an existing file read. Throws a
    /// <see cref="CliException"/> saying what is wrong.
    /// </summary>
    public void Prepare()
    {
        try
        {
            CreateDirectory();
            using (TakeLock())
            {
                if (File.Exists(FilePath))
                {
                    _ = File.ReadAllLines(FilePath);
                }

                var probe = NewTemporaryPath();
                using (new FileStream(probe, TemporaryFileOptions()))
                {
                }

                File.Delete(probe);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.InvalidInput($"Cannot save to the credentials file {FilePath}: {Describe(e)}. Fix that (or set XDG_CONFIG_HOME), or leave out --save.");
        }
    }

    /// <summary>
    /// Saves (or replaces) the key of <paramref name="email"/> on <paramref name="server"/>, keeping
    /// the file 0600. The read-change-write holds an exclusive lock (<c>credentials.lock</c>), so two
    /// runs at once never lose each other's entry; the new file is on disk before it replaces the old.
    /// </summary>
    public void Save(Uri server, string email, string apiKey)
    {
        CreateDirectory();
        using var held = TakeLock();
        var serverKey = Normalize(server);
        var kept = File.Exists(FilePath)
            ? File.ReadAllLines(FilePath).Where(line => Parse(line) is not { } entry || entry.Server != serverKey || !string.Equals(entry.Email, email, StringComparison.OrdinalIgnoreCase)).ToList()
            : [Header];
        kept.Add($"{serverKey} {email} {apiKey}");

        // Written to a new 0600 file beside it (a random name: a stale or planted file cannot block
        // it), flushed to disk, then moved over it: never a moment with a readable or half-written
        // file, whatever the umask, and no empty file after a crash.
        var temporary = NewTemporaryPath();
        try
        {
            using (var stream = new FileStream(temporary, TemporaryFileOptions()))
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096, leaveOpen: true))
                {
                    writer.NewLine = "\n";
                    foreach (var line in kept)
                    {
                        writer.WriteLine(line);
                    }
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private void CreateDirectory()
    {
        var directory = Path.GetDirectoryName(FilePath)!;
        if (!OperatingSystem.IsWindows())
        {
            // Created 0700, and made so if it existed: it is this tool's own directory, holding keys.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>
    /// The lock file, open with no sharing (an exclusive <c>flock</c> on Unix) until disposed. It is
    /// left in place afterwards: removing it would let two runs lock two different files.
    /// </summary>
    private FileStream TakeLock()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var deadline = DateTime.UtcNow + LockPatience;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(LockPath))
            {
                // Another cryptosecure is saving a key right now.
                Thread.Sleep(50);
            }
            catch (IOException e) when (File.Exists(LockPath))
            {
                throw new IOException($"another cryptosecure has held {LockPath} for over {LockPatience.TotalSeconds:0} s", e);
            }
        }
    }

    private string NewTemporaryPath() =>
        FilePath + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static FileStreamOptions TemporaryFileOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "a part of its path is missing or not a directory",
        _ => e.Message,
    };

    /// <summary>A server's form in the file: its absolute URL without a trailing slash.</summary>
    public static string Normalize(Uri server) => server.AbsoluteUri.TrimEnd('/');

    private static Entry? Parse(string line)
    {
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith('#'))
        {
            return null;
        }

        var parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !Uri.TryCreate(parts[0], UriKind.Absolute, out var server))
        {
            return null;
        }

        return new Entry(Normalize(server), parts[1], parts[2]);
    }

    private sealed record Entry(string Server, string Email, string ApiKey)
    {
        // A record prints its members: never the key.
        public override string ToString() => $"{Server} {Email} (key hidden)";
    }
}
