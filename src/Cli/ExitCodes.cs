namespace CryptoSecure.Cli;

/// <summary>
/// The tool's exit codes, one per class of outcome, so that a script can tell "fix your input" from
/// "try again later" (documented in docs/cli.md, "Exit status").
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>The operation ran but the answer is no: a signature that does not verify, or batch items that failed.</summary>
    public const int Negative = 1;

    /// <summary>The command line is wrong: unknown command or option, missing argument, conflicting options.</summary>
    public const int Usage = 2;

    /// <summary>No API key, or the server refused the one given (401, 403).</summary>
    public const int Auth = 3;

    /// <summary>The identity (or key version) does not exist (404).</summary>
    public const int NotFound = 4;

    /// <summary>The input is invalid (400, 413, 415, 422), a local file cannot be read or written, or an envelope file is damaged.</summary>
    public const int InvalidInput = 5;

    /// <summary>The server could not do it now: conflict (409), rate limit (429) or a server error (5xx).</summary>
    public const int Server = 6;

    /// <summary>The server could not be reached: connection refused, DNS, TLS, timeout.</summary>
    public const int Transport = 7;

    /// <summary>A fault in this tool itself.</summary>
    public const int Internal = 70;
}
