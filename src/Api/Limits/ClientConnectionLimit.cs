using System.Net;
using CryptoSecure.Api.RateLimiting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Limits;

/// <summary>
/// Counts open connections by client address and turns away a client's connection past
/// <see cref="ConnectionLimitsOptions.MaxConnectionsPerClient"/>, as Kestrel connection middleware
/// (before any HTTP is read, so a refused connection costs almost nothing). Without it, one address
/// opening connections and trickling bytes on each fills Kestrel's connection limit and locks every
/// other client out, the timeouts notwithstanding: it only has to open a new connection as fast
/// as old ones are cut off.
/// </summary>
public sealed partial class ClientConnectionLimit(IOptions<ConnectionLimitsOptions> options, ILogger<ClientConnectionLimit> logger)
{
    private readonly int _limit = options.Value.MaxConnectionsPerClient;
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Addresses with a connection open now (entries go when their last connection closes).</summary>
    public int ClientsConnected
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>The connection middleware: runs the rest of the connection only within the client's share.</summary>
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        if (_limit == 0)
        {
            await next(connection);
            return;
        }

        var client = RateLimitingSetup.ClientAddress((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (!TryOpen(client))
        {
            // Closed without an answer: writing one would cost what the limit is there to save.
            LogRefused(logger, client, _limit);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Close(client);
        }
    }

    private bool TryOpen(string client)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(client);
            if (open >= _limit)
            {
                return false;
            }

            _open[client] = open + 1;
            return true;
        }
    }

    private void Close(string client)
    {
        lock (_lock)
        {
            var open = _open[client] - 1;
            if (open == 0)
            {
                _open.Remove(client);
            }
            else
            {
                _open[client] = open;
            }
        }
    }

    // Debug: a flood would otherwise write a line per refused connection.
    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Connection from {Client} closed: it already holds {Limit} connections (Load:Connections:MaxConnectionsPerClient)")]
    private static partial void LogRefused(ILogger logger, string client, int limit);
}
