using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests.Durability;

/// <summary>One encrypt request as its client saw it: when it was sent, and its answer or failure.</summary>
/// <param name="StartedAt">A <see cref="Stopwatch"/> timestamp taken just before sending.</param>
/// <param name="Status">The answer's status; null when no answer came.</param>
/// <param name="RequestId">The answer's X-Request-Id, which its audit event carries.</param>
/// <param name="Failure">Why no answer came.</param>
internal sealed record EncryptOutcome(long StartedAt, HttpStatusCode? Status, string? RequestId, Exception? Failure)
{
    public bool Acknowledged => Status is { } status && (int)status is >= 200 and < 300;
}

/// <summary>
/// Clients that each send encrypt requests one after another, over a connection of their own, to
/// one identity of a real server process, recording every outcome until they are stopped.
/// </summary>
internal sealed class EncryptLoad
{
    private readonly List<EncryptOutcome> _outcomes = [];
    private readonly Task _clients;
    private int _answered;
    private volatile bool _stopping;

    private EncryptLoad(Uri server, string email, int clients) =>
        _clients = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(() => RunClientAsync(server, email))));

    /// <summary>How many requests have had an answer so far.</summary>
    public int Answered => Volatile.Read(ref _answered);

    public static EncryptLoad Start(Uri server, string email, int clients) => new(server, email, clients);

    /// <summary>Waits until at least <paramref name="answers"/> requests have had an answer, so the load is really on.</summary>
    public async Task WaitForAnswersAsync(int answers)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (Answered < answers)
        {
            await Task.Delay(10, patience.Token);
        }
    }

    /// <summary>Stops the clients and returns every outcome.</summary>
    public async Task<IReadOnlyList<EncryptOutcome>> StopAsync()
    {
        _stopping = true;
        await _clients;
        lock (_outcomes)
        {
            return [.. _outcomes];
        }
    }

    /// <summary>The request ids of every public-kind event of <paramref name="identity"/>, read page by page with its owner's key.</summary>
    public static async Task<HashSet<string>> AuditedRequestIdsAsync(HttpClient http, Registered identity)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{identity.Email}/audit?kind=public&limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            request.Headers.Authorization = new("Bearer", identity.ApiKey);
            using var response = await http.SendAsync(request);
            var page = await ApiClient.JsonAsync(response);
            foreach (var auditEvent in page["events"]!.AsArray())
            {
                ids.Add((string)auditEvent!["requestId"]!);
            }

            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        return ids;
    }

    private async Task RunClientAsync(Uri server, string email)
    {
        using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = server };
        var body = new { plaintext = new string('x', 1024) };
        while (!_stopping)
        {
            var startedAt = Stopwatch.GetTimestamp();
            EncryptOutcome outcome;
            try
            {
                // Not cancelled by the stop: a request once sent is seen through to its answer or failure.
                using var response = await http.PostAsJsonAsync($"/api/v1/users/{email}/encrypt", body, CancellationToken.None);
                var requestId = response.Headers.TryGetValues("X-Request-Id", out var values) ? values.Single() : null;
                outcome = new EncryptOutcome(startedAt, response.StatusCode, requestId, null);
                Interlocked.Increment(ref _answered);
            }
            catch (HttpRequestException ex)
            {
                outcome = new EncryptOutcome(startedAt, null, null, ex);
            }

            lock (_outcomes)
            {
                _outcomes.Add(outcome);
            }

            if (outcome.Failure is not null)
            {
                // The server is gone or going: no need to hammer a closed port until the test stops us.
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }
}
