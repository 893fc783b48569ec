using System.Net;
using System.Net.Sockets;
using System.Text;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Slow clients against the real server process (Kestrel enforces these, the in-memory server does
/// not): trickled headers and bodies are cut off, and one address's connections cannot lock out
/// another's. Raw sockets, because HttpClient cannot send a request slowly.
/// </summary>
public sealed class SlowClientTests
{
    // Far longer than any limit under test: a connection still open after it was not cut off.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_client_trickling_its_headers_is_cut_off_after_the_header_timeout()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Load__Connections__HeadersTimeoutSeconds"] = "2" });
        using var connection = await RawConnection.OpenAsync(server.Address, IPAddress.Loopback);
        await connection.SendAsync("GET /health/live HTTP/1.1\r\nHost: localhost\r\n");

        // A header line every 300 ms: data keeps arriving, only the headers never end. Watched for
        // less than Kestrel's own 30 s default, so it is the setting that cuts it off.
        var cutOff = await connection.TrickleUntilClosedAsync(i => $"X-Slow-{i}: a\r\n", TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(20));

        cutOff.Should().BeTrue("the server must close a connection whose headers do not arrive within the timeout");
        connection.Received.Should().NotContain("HTTP/1.1 200").And.NotContain("HTTP/1.1 500");
    }

    [Fact]
    public async Task A_body_trickled_below_the_minimum_rate_is_cut_off_without_a_server_error()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Load__Connections__MinRequestBodyBytesPerSecond"] = "100",
            ["Load__Connections__DataRateGraceSeconds"] = "2",
        });
        using var connection = await RawConnection.OpenAsync(server.Address, IPAddress.Loopback);
        await connection.SendAsync(
            "POST /api/v1/users/slow@example.com/encrypt HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{\"plaintext\":\"");

        // 5 bytes a second against a minimum of 100.
        var cutOff = await connection.TrickleUntilClosedAsync(_ => "a", TimeSpan.FromMilliseconds(200), Patience);

        cutOff.Should().BeTrue("the server must close a connection whose body arrives below the minimum rate");
        connection.Received.Should().NotContain("HTTP/1.1 500");
        if (connection.Received.Length > 0)
        {
            connection.Received.Should().StartWith("HTTP/1.1 408");
        }
    }

    [Fact]
    public async Task Many_slow_connections_from_one_address_do_not_stop_another_client_being_served()
    {
        const int MaxConnections = 16;
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Load__Connections__MaxConnections"] = MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Load__Connections__MaxConnectionsPerClient"] = "4",
            // The slow connections must not be cut off by the timeout while the test runs: the limit is under test.
            ["Load__Connections__HeadersTimeoutSeconds"] = "120",
        });

        // Every connection the server allows and more, each an unfinished request.
        var slow = new List<RawConnection>();
        try
        {
            for (var i = 0; i < MaxConnections + 8; i++)
            {
                var connection = await RawConnection.OpenAsync(server.Address, IPAddress.Loopback);
                slow.Add(connection);
                await connection.SendAsync("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
            }

            // Another address on the loopback network (Linux routes all of 127/8 to lo).
            using var other = await RawConnection.OpenAsync(server.Address, IPAddress.Parse("127.0.0.2"));
            await other.SendAsync("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            (await other.WaitClosedAsync(Patience)).Should().BeTrue();
            other.Received.Should().StartWith("HTTP/1.1 200");

            // And the slow address kept only its share: the rest of its connections were closed.
            var closed = await Task.WhenAll(slow.Select(c => c.WaitClosedAsync(TimeSpan.FromSeconds(10))));
            closed.Count(c => !c).Should().Be(4);
        }
        finally
        {
            slow.ForEach(c => c.Dispose());
        }
    }

    /// <summary>One TCP connection from a chosen local address, reading everything the server sends until it closes.</summary>
    private sealed class RawConnection : IDisposable
    {
        private readonly Socket _socket;
        private readonly StringBuilder _received = new();
        private readonly Task _reading;

        private RawConnection(Socket socket)
        {
            _socket = socket;
            _reading = ReadAsync();
        }

        public string Received
        {
            get
            {
                lock (_received)
                {
                    return _received.ToString();
                }
            }
        }

        public static async Task<RawConnection> OpenAsync(Uri server, IPAddress from)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(IPAddress.Loopback, server.Port);
            return new RawConnection(socket);
        }

        public async Task SendAsync(string text) => await _socket.SendAsync(Encoding.ASCII.GetBytes(text));

        /// <summary>Sends a piece every <paramref name="interval"/>; true once the server has closed the connection, false if it is still open after <paramref name="patience"/>.</summary>
        public async Task<bool> TrickleUntilClosedAsync(Func<int, string> piece, TimeSpan interval, TimeSpan patience)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; stopwatch.Elapsed < patience; i++)
            {
                if (_reading.IsCompleted)
                {
                    return true;
                }

                try
                {
                    await SendAsync(piece(i));
                }
                catch (SocketException)
                {
                    return true;
                }

                await Task.WhenAny(_reading, Task.Delay(interval));
            }

            return _reading.IsCompleted;
        }

        /// <summary>True once the server has closed the connection, false if it is still open after <paramref name="patience"/>.</summary>
        public async Task<bool> WaitClosedAsync(TimeSpan patience) => await Task.WhenAny(_reading, Task.Delay(patience)) == _reading;

        public void Dispose() => _socket.Dispose();

        private async Task ReadAsync()
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await _socket.ReceiveAsync(buffer)) > 0)
                {
                    lock (_received)
                    {
                        _received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }
                }
            }
            catch (SocketException)
            {
                // Reset by the server: closed all the same.
            }
            catch (ObjectDisposedException)
            {
                // Disposed by the test.
            }
        }
    }
}
