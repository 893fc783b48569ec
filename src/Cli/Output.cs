namespace CryptoSecure.Cli;

/// <summary>
/// Where a result goes. For --out FILE: a new 0600 file beside it, moved over FILE only when the
/// command succeeded, so a failed decryption never leaves a partial plaintext under the name asked
/// for. For stdout: the bytes as they come (a failure then says so by the exit code).
/// </summary>
internal sealed class Output : IAsyncDisposable
{
    private readonly string? _target;
    private readonly string? _temporary;
    private bool _committed;

    private Output(Stream stream, string? target, string? temporary)
    {
        Stream = stream;
        _target = target;
        _temporary = temporary;
    }

    public Stream Stream { get; }

    public static Output Open(FileInfo? file, CliConsole console)
    {
        if (file is null || file.ToString() == "-")
        {
            return new Output(console.OpenStandardOutput(), null, null);
        }

        var target = file.FullName;
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".cryptosecure-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(16, lowercase: true));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new Output(new FileStream(temporary, options), target, temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.InvalidInput($"Cannot write {file}: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}.");
        }
    }

    /// <summary>The result is complete: flush it, and put the file in place.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Stream.FlushAsync(cancellationToken);
            if (_temporary is not null)
            {
                // On disk before it takes the name: a crash never leaves an empty or partial file there.
                ((FileStream)Stream).Flush(flushToDisk: true);
                await Stream.DisposeAsync();
                File.Move(_temporary, _target!, overwrite: true);
            }
        }
        catch (IOException e)
        {
            throw CliException.InvalidInput($"Cannot write {_target ?? "stdout"}: {e.Message}.");
        }

        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        if (_temporary is not null && !_committed)
        {
            File.Delete(_temporary);
        }
    }
}
