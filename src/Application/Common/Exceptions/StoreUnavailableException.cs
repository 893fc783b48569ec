namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// The key store cannot be reached or did not answer in time (503). The message and inner
/// exception are for logs; clients get a fixed text. A write may or may not have happened.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>
    /// The store's disk (or quota) is full: reads still work, writes are refused (and rolled back,
    /// nothing half-written) until space is freed, with no restart needed.
    /// </summary>
    public bool StorageFull { get; init; }
}
