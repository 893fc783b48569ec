using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A private-key gate a test switches between "room for everything" and "at capacity": at the door
/// (<see cref="FullAtTheDoor"/>, what the admission middleware asks before authentication) and in
/// the use case (<see cref="Busy"/>, what the handler's own admission answers), separately, so each
/// check can be seen on its own.
/// </summary>
internal sealed class SwitchableGate : IPrivateKeyGate
{
    private int _asked;

    /// <summary>Use cases asking to run an operation are refused.</summary>
    public volatile bool Busy;

    /// <summary>The early check says even the cheapest operation would be refused.</summary>
    public volatile bool FullAtTheDoor;

    /// <summary>How often a use case asked to run an operation.</summary>
    public int Asked => Volatile.Read(ref _asked);

    public ServiceBusyException? RefusalNow(string requester) => FullAtTheDoor ? Refusal() : null;

    public ValueTask<T> RunAsync<T>(KeySize size, string requester, Func<T> operation, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        return Busy ? throw Refusal() : ValueTask.FromResult(operation());
    }

    private static ServiceBusyException Refusal() =>
        new("The server is at capacity for private-key operations; try again in 3 s.", TimeSpan.FromSeconds(3));
}
