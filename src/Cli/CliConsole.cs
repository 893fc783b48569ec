using System.Collections;

namespace CryptoSecure.Cli;

/// <summary>The process's streams and environment, read once.</summary>
internal sealed class CliConsole
{
    private readonly Dictionary<string, string?> _variables;

    private readonly TextReader _in = System.Console.In;
    private readonly Lazy<Stream> _stdin = new(System.Console.OpenStandardInput);
    private readonly Lazy<Stream> _stdout = new(System.Console.OpenStandardOutput);

    public CliConsole()
    {
        Error = System.Console.Error;
        ErrorIsTerminal = !System.Console.IsErrorRedirected;
        InputIsTerminal = !System.Console.IsInputRedirected;
        _variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, string?> Variables => _variables;

    public TextWriter Error { get; }

    /// <summary>Whether stderr is a terminal (progress bars and prompts only then).</summary>
    public bool ErrorIsTerminal { get; }

    public bool InputIsTerminal { get; }

    public string? Variable(string name)
    {
        var value = _variables.GetValueOrDefault(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>stdin as bytes (binary-safe: no text decoding).</summary>
    public Stream OpenStandardInput() => _stdin.Value;

    /// <summary>stdout as bytes (binary-safe: no text encoding, no newline translation).</summary>
    public Stream OpenStandardOutput() => _stdout.Value;

    /// <summary>Reads one line from the terminal (a confirmation).</summary>
    public string? ReadLine() => _in.ReadLine();
}
