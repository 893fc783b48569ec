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

    /// <summary>Saves (or replaces) the key of <paramref name="email"/> on <paramref name="server"/>, keeping the file 0600.</summary>
    public void Save(Uri server, string email, string apiKey)
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

        var serverKey = Normalize(server);
        var kept = File.Exists(FilePath)
            ? File.ReadAllLines(FilePath).Where(line => Parse(line) is not { } entry || entry.Server != serverKey || !string.Equals(entry.Email, email, StringComparison.OrdinalIgnoreCase)).ToList()
            : [Header];
        kept.Add($"{serverKey} {email} {apiKey}");

        // Written to a new 0600 file beside it, then moved over it: never a moment with a readable
        // or half-written file, whatever the umask.
        var temporary = FilePath + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.NewLine = "\n";
                foreach (var line in kept)
                {
                    writer.WriteLine(line);
                }
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

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
