namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// A sealed private key did not open: the store was altered or the master key is wrong. Never
/// a client's fault; answered as a generic 500 and logged as critical.
/// </summary>
public sealed class KeyIntegrityException() : Exception("A stored private key failed its integrity check.");
