using System.Diagnostics;
using System.Globalization;

namespace CryptoSecure.Cli.Envelope;

/// <summary>
/// A progress bar on stderr, drawn only when stderr is a terminal (never into a pipe or a log),
/// at most ten times a second.
/// </summary>
internal sealed class ProgressBar : IProgress<long>, IDisposable
{
    private readonly TextWriter _error;
    private readonly long? _total;
    private readonly string _label;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private bool _drawn;

    private ProgressBar(TextWriter error, long? total, string label)
    {
        _error = error;
        _total = total;
        _label = label;
    }

    /// <summary>A bar when stderr is a terminal, else null (no progress reports at all).</summary>
    public static ProgressBar? For(CliConsole console, Stream input, string label)
    {
        if (!console.ErrorIsTerminal)
        {
            return null;
        }

        long? total = input.CanSeek ? input.Length - input.Position : null;
        return new ProgressBar(console.Error, total, label);
    }

    public void Report(long value)
    {
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastDraw < 100 && value != _total)
        {
            return;
        }

        _lastDraw = now;
        _drawn = true;
        if (_total is > 0 and var total)
        {
            const int width = 30;
            var filled = (int)Math.Min(width, value * width / total);
            _error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_label} [{new string('#', filled)}{new string(' ', width - filled)}] {value * 100 / total,3}% {Size(value)} / {Size(total)}  "));
        }
        else
        {
            _error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_label} {Size(value)}  "));
        }
    }

    public void Dispose()
    {
        if (_drawn)
        {
            _error.WriteLine();
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2} GiB"),
    };
}
