using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.Common.Ports;

/// <summary>Makes RSA key pairs off the request threads, from a pool when one is warm.</summary>
public interface IRsaKeyFactory
{
    /// <summary>A new key pair of <paramref name="size"/>, never handed out before.</summary>
    /// <param name="size">Modulus size.</param>
    /// <param name="requester">
    /// Whose share of key generation the request counts against (<see cref="IRequestContext.FairShareKey"/>):
    /// when generations must wait, they are shared out fairly between requesters, by cost.
    /// </param>
    /// <param name="cancellationToken">Cancelled when the caller goes away: a generation not yet started then never runs.</param>
    /// <exception cref="ServiceBusyException">Too much key generation is waiting, or this one waited too long.</exception>
    ValueTask<RsaKeyPair> CreateAsync(KeySize size, string requester, CancellationToken cancellationToken);

    /// <summary>
    /// <paramref name="count"/> new key pairs of <paramref name="size"/> as one piece of work: those
    /// the pool cannot give are generated under one turn of the scheduler, costed as all of them, so
    /// a key version's two pairs either both come or neither (no second wait, no 503 after the first
    /// pair was already made).
    /// </summary>
    /// <exception cref="ServiceBusyException">Too much key generation is waiting, or this one waited too long.</exception>
    ValueTask<IReadOnlyList<RsaKeyPair>> CreateManyAsync(KeySize size, int count, string requester, CancellationToken cancellationToken);
}
