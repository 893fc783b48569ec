namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// A concurrent change won the race for the same identity; the caller re-reads and tries again.
/// Only when its tries run out does it reach the client (409), hence a message for the client.
/// </summary>
public sealed class ConcurrencyConflictException() : ClientFacingException(ProblemKind.ConcurrentChange, "The identity kept changing while this request ran; try again.");
