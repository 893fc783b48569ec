namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// The service is at capacity for this kind of work (too much key generation waiting, or waiting
/// too long): 503 with Retry-After. Nothing was changed. The message is shown to the client: it is
/// a fixed text with the suggested wait, never internals.
/// </summary>
/// <param name="message">What the client is told.</param>
/// <param name="retryAfter">When trying again is likely to succeed (the Retry-After header).</param>
public sealed class ServiceBusyException(string message, TimeSpan retryAfter) : ClientFacingException(ProblemKind.Busy, message, retryAfter);
