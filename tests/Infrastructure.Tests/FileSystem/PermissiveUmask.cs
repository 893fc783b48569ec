using CryptoSecure.Infrastructure.FileSystem;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Infrastructure.Tests.FileSystem;

/// <summary>Tests that change the process umask run alone: it is one setting for every thread.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessUmaskTests
{
    public const string Name = "Process umask";
}

/// <summary>
/// Runs each test with umask 000, so any file or directory created without an explicit mode comes
/// out world-readable and writable, and a test of "owner-only" cannot pass by the umask's grace.
/// </summary>
[Collection(ProcessUmaskTests.Name)]
public abstract class PermissiveUmask : IDisposable
{
    public const string UnixOnly = "Unix file modes only: on Windows the data directory's ACLs apply and these methods do nothing.";

    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly uint? _previousUmask;

    protected PermissiveUmask()
    {
        Temp = Directory.CreateTempSubdirectory("cryptosecure-modes-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            _previousUmask = OwnerOnlyFiles.SetUmask(0);
        }
    }

    protected string Temp { get; }

    public void Dispose()
    {
        if (_previousUmask is { } previous)
        {
            OwnerOnlyFiles.SetUmask(previous);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Temp, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Keeps what was logged, to check warnings.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}
