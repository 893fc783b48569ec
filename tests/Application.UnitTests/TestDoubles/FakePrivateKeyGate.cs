using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Keys;

namespace CryptoSecure.Application.UnitTests.TestDoubles;

/// <summary>Admits every operation at once, or refuses each as busy, and records who asked for what.</summary>
internal sealed class FakePrivateKeyGate : IPrivateKeyGate
{
    private int _held;

    /// <summary>Every admission asked for, in order.</summary>
    public List<(KeySize Size, string Requester)> Entered { get; } = [];

    /// <summary>Slots handed out and not yet given back.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Set to answer every request as the real gate does at capacity.</summary>
    public bool Busy { get; set; }

    public ServiceBusyException? RefusalNow(string requester) =>
        Busy ? new ServiceBusyException("The server is at capacity for private-key operations; try again in 1 s.", TimeSpan.FromSeconds(1)) : null;

    public ValueTask<T> RunAsync<T>(KeySize size, string requester, Func<T> operation, CancellationToken cancellationToken)
    {
        Entered.Add((size, requester));
        if (Busy)
        {
            throw new ServiceBusyException("The server is at capacity for private-key operations; try again in 1 s.", TimeSpan.FromSeconds(1));
        }

        Interlocked.Increment(ref _held);
        try
        {
            return ValueTask.FromResult(operation());
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }
}
