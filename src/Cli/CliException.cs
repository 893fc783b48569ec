namespace CryptoSecure.Cli;

/// <summary>
/// A failure the tool reports as one line on stderr with its exit code. Messages are written by
/// this tool (or are the server's problem title and detail), never an API key or any data.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException(int exitCode, string message, Exception inner)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException InvalidInput(string message) => new(ExitCodes.InvalidInput, message);
}
