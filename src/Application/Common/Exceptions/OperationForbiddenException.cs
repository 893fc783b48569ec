namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>The operation is not allowed for this identity, whoever asks (403). The message is shown to the client.</summary>
public sealed class OperationForbiddenException(string message) : ClientFacingException(ProblemKind.Forbidden, message);
