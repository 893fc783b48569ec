using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>
/// Admits RSA private-key operations (decryption, and so rewrap; signing) to a bounded number of CPU
/// slots with a bounded queue, and runs them where they cannot crowd out the rest. Each one is
/// milliseconds of CPU that cannot be interrupted: unbounded, a flood of them takes every thread and
/// core, and health checks, public-key reads and encryptions stall behind it. Bounded, the flood's
/// excess is told to come back (503 with Retry-After) at once, and everything else keeps its share
/// of the machine.
/// </summary>
public interface IPrivateKeyGate
{
    /// <summary>
    /// Waits, without holding a thread, for a slot for one private-key operation with a key of
    /// <paramref name="size"/>, then runs <paramref name="operation"/> in it and frees the slot.
    /// </summary>
    /// <param name="size">The key's size: a larger key's operation costs more of the queue (about the cube of the size).</param>
    /// <param name="requester">Whose share it counts against (<see cref="IRequestContext.FairShareKey"/>): waiting work is shared out fairly between requesters.</param>
    /// <param name="operation">The work: unsealing and the RSA operation, nothing that waits.</param>
    /// <param name="cancellationToken">Cancelled when the caller goes away: an operation not yet started then never runs.</param>
    /// <exception cref="ServiceBusyException">The queue is full, or the operation was not started within the wait bound.</exception>
    ValueTask<T> RunAsync<T>(KeySize size, string requester, Func<T> operation, CancellationToken cancellationToken);

    /// <summary>
    /// The busy answer the cheapest private-key operation from <paramref name="requester"/> would get
    /// right now, or null if it would start or wait. Lets a request be turned away before anything
    /// is spent on it (authentication, the identity's read); it changes nothing, and a request let
    /// through still asks <see cref="RunAsync{T}"/>, which decides again.
    /// </summary>
    ServiceBusyException? RefusalNow(string requester);
}
