using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.FileSystem;

/// <summary>
/// Keeps the server's own files (the SQLite store and its -wal/-shm/-journal companions, the
/// Development master key) owner-only from the moment they exist, not from some later chmod: a
/// handle opened on a file while it was readable keeps reading it after the mode is narrowed.
/// </summary>
/// <remarks>
/// Directories are created 0700 and files 0600 with an explicit mode, whatever the umask. What
/// already exists wider than that is handled by who could have touched it:
/// <list type="bullet">
/// <item>a directory or file that others may only read (the first release created the data
/// directory 0755) is narrowed to owner-only, with a warning, so an upgrade needs no manual step;</item>
/// <item>a directory that others may write is refused: they could already have planted or swapped a
/// store file, narrowing it now cannot undo that, and such a directory is usually shared (for example
/// /tmp), so changing its mode would break other users of it;</item>
/// <item>a file or directory the server cannot narrow (owned by another user) is refused.</item>
/// </list>
/// On Windows directories are only created and files left as they are: access there is governed by
/// ACLs inherited from the parent.
/// </remarks>
public static partial class OwnerOnlyFiles
{
    /// <summary>rwx------ (0700).</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw------- (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode GroupOrOthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>077: no permission for group or others on anything the process creates.</summary>
    private const uint OwnerOnlyUmask = (uint)GroupOrOthers;

    /// <summary>
    /// Sets the process umask to 077, so whatever else the process (or a library) creates is
    /// owner-only as well. The explicit modes below do not depend on it.
    /// </summary>
    /// <returns>False on Windows, or where the C library cannot be called.</returns>
    public static bool RestrictProcessUmask()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            _ = NativeMethods.SetUmask(OwnerOnlyUmask);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> (and any missing parents) 0700, or checks an existing one as
    /// the remarks describe.
    /// </summary>
    /// <param name="path">The directory.</param>
    /// <param name="settings">The settings that choose it, for the refusal message.</param>
    /// <param name="logger">Receives the warning when an existing directory is narrowed.</param>
    /// <exception cref="StartupConfigurationException">Others may write to it, or it cannot be narrowed.</exception>
    public static void PrepareDirectory(string path, string settings, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            CreateWithMissingParents(full);
            return;
        }

        var mode = File.GetUnixFileMode(full);
        if ((mode & GroupOrOthersWrite) != 0)
        {
            throw new StartupConfigurationException(
                $"The directory {full} can be written by other users (mode {Octal(mode)}), who could plant or replace the server's files in it. " +
                $"Make it owner-only (chmod 700 {full}) or point {settings} to a directory of its own.");
        }

        Narrow(full, mode, settings, logger);
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty with mode 0600 if it does not exist (so that SQLite, which
    /// creates a new database 0644 less the umask and gives its -wal, -shm and -journal files the
    /// database's mode, never makes a wider file), or narrows an existing one.
    /// </summary>
    /// <exception cref="StartupConfigurationException">An existing file cannot be narrowed.</exception>
    public static void CreateOrNarrowFile(string path, string settings, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
            return;
        }
        catch (IOException) when (File.Exists(path))
        {
            // It exists (perhaps created a moment ago by another start): check it like any other.
        }

        NarrowFileIfExists(path, settings, logger);
    }

    /// <summary>Narrows <paramref name="path"/> to 0600 if it exists with a wider mode; nothing if absent.</summary>
    /// <exception cref="StartupConfigurationException">The file cannot be narrowed.</exception>
    public static void NarrowFileIfExists(string path, string settings, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        Narrow(path, File.GetUnixFileMode(path), settings, logger);
    }

    /// <summary>
    /// Creates each missing level 0700, top down: <see cref="Directory.CreateDirectory(string, UnixFileMode)"/>
    /// gives the mode to the last level only and makes missing parents 0777 less the umask.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateWithMissingParents(string full)
    {
        var missing = new Stack<string>();
        for (var level = full; level is not null && !Directory.Exists(level); level = Path.GetDirectoryName(level))
        {
            missing.Push(level);
        }

        while (missing.TryPop(out var level))
        {
            Directory.CreateDirectory(level, DirectoryMode);
        }
    }

    /// <summary>For tests: sets the umask and returns the previous one.</summary>
    internal static uint SetUmask(uint mask) => NativeMethods.SetUmask(mask) & (uint)(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | GroupOrOthers);

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(string path, UnixFileMode mode, string settings, ILogger logger)
    {
        if ((mode & GroupOrOthers) == 0)
        {
            return;
        }

        var narrowed = mode & ~GroupOrOthers;
        try
        {
            File.SetUnixFileMode(path, narrowed);
        }
        catch (UnauthorizedAccessException)
        {
            throw new StartupConfigurationException(
                $"{path} is accessible to other users (mode {Octal(mode)}) and this user cannot change that (is it another user's?). " +
                $"Make it owner-only (chmod go-rwx {path}) or point {settings} elsewhere.");
        }

        LogNarrowed(logger, path, Octal(mode), Octal(narrowed));
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message =
        "{Path} was accessible to other users (mode {OldMode}); narrowed it to {NewMode}. The server's data directory and store files are owner-only.")]
    private static partial void LogNarrowed(ILogger logger, string path, string oldMode, string newMode);
}
