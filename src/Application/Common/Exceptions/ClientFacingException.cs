namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// The base of every refusal a use case gives the client: its <see cref="Exception.Message"/> is
/// written for the client (a fixed text, never internals or secrets), and its
/// <see cref="Kind"/> picks the answer. Logging and the HTTP mapping switch on this one type, so a
/// new refusal is one subclass here, not a case in each of them. Anything else that escapes a use
/// case (<see cref="StoreUnavailableException"/>, <see cref="KeyIntegrityException"/>, a bug) is
/// the server's failure, answered without its message.
/// </summary>
public abstract class ClientFacingException : Exception
{
    /// <summary>A refusal of <paramref name="kind"/>, told to the client as <paramref name="message"/>.</summary>
    /// <param name="kind">Which answer the client gets.</param>
    /// <param name="message">What the client is told.</param>
    /// <param name="retryAfter">For a temporary refusal, when trying again is likely to succeed.</param>
    protected ClientFacingException(ProblemKind kind, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        Kind = kind;
        RetryAfter = retryAfter;
    }

    /// <summary>Which answer the client gets.</summary>
    public ProblemKind Kind { get; }

    /// <summary>For a temporary refusal, when trying again is likely to succeed (the Retry-After header); otherwise null.</summary>
    public TimeSpan? RetryAfter { get; }
}
