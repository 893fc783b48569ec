namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// What was asked is not something this deployment does (for example the backup route on a
/// MongoDB store, which is backed up with mongodump): 501, with a message that says what to use
/// instead. Nothing was read or changed.
/// </summary>
/// <param name="message">What the client is told: a fixed text naming the alternative.</param>
public sealed class OperationNotSupportedException(string message) : ClientFacingException(ProblemKind.NotSupported, message);
