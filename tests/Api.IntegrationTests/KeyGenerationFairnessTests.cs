using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Issue 9 point 9 over HTTP: a client flooding RSA-4096 registrations must not make another
/// client's registration wait behind its backlog, and what cannot be served soon is answered 503
/// with Retry-After at once. One generation slot, no pool, and generations the test finishes by hand.
/// A registration makes its key version's two key pairs (encryption and signing) as one piece of
/// work of twice the cost: two generations in one turn of the slot.
/// </summary>
public sealed class KeyGenerationFairnessTests
{
    private const string Flooder = "198.51.100.7";
    private const string Legitimate = "203.0.113.9";

    // A hang guard: without fair scheduling these awaits would never end, and must fail instead.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task While_one_client_floods_RSA_4096_registrations_another_clients_registration_is_served_before_the_backlog()
    {
        using var factory = new GatedGenerationFactory();
        using var flooder = factory.NewClient(Flooder);
        using var legitimate = factory.NewClient(Legitimate);

        // One generating and two queued: 2 × 16 (two RSA-4096 pairs each) fills the default 32 of queued cost.
        var flood = Enumerable.Range(0, 3).Select(_ => Register(flooder, 4096)).ToList();
        var first = await factory.Generator.NextAsync();
        await factory.WaitForSchedulerAsync(s => s.QueuedRequests == 2);

        var registration = Register(legitimate, 4096);

        // The queue was full: the flood's newest waiter gives way, at once and clearly.
        var displaced = await Task.WhenAny(flood).WaitAsync(Deadline);
        flood.Remove(displaced);
        await ShouldBeBusyProblemAsync(await displaced);

        // The flood's running registration ends (both its pairs); the next is the other client's, not the backlog's.
        first.Finish();
        (await factory.Generator.NextAsync()).Finish();
        var served = await Task.WhenAny(flood).WaitAsync(Deadline);
        flood.Remove(served);
        (await served).StatusCode.Should().Be(HttpStatusCode.Created);
        (await factory.Generator.NextAsync()).Finish();
        (await factory.Generator.NextAsync()).Finish();

        (await registration.WaitAsync(Deadline)).StatusCode.Should().Be(HttpStatusCode.Created);
        flood.Should().ContainSingle().And.OnlyContain(t => !t.IsCompleted, "the flood's backlog is still waiting when the other client has its keys");

        // Only now does the slot go back to the flood (its generation starts on another thread, so wait for it).
        var next = await factory.Generator.NextAsync();
        factory.Generator.Calls.Should().Be(5, "the flood's first two, the other client's two, then the flood's next");
        next.Finish();
        (await factory.Generator.NextAsync()).Finish();
    }

    [Fact]
    public async Task A_registration_that_cannot_start_within_the_wait_bound_gets_a_503_with_Retry_After_not_a_hang()
    {
        using var factory = new GatedGenerationFactory(new Dictionary<string, string?> { ["Keys:Generation:MaxWaitSeconds"] = "5" });
        using var flooder = factory.NewClient(Flooder);
        using var legitimate = factory.NewClient(Legitimate);
        var running = Register(flooder, 4096);
        var generation = await factory.Generator.NextAsync();
        var waiting = Register(legitimate, 2048);
        await factory.WaitForSchedulerAsync(s => s.QueuedRequests == 1);

        factory.Clock.Advance(TimeSpan.FromSeconds(5));

        var body = await ShouldBeBusyProblemAsync(await waiting.WaitAsync(Deadline));
        ((string)body["detail"]!).Should().Contain("did not start within 5 s");
        generation.Finish();
        (await factory.Generator.NextAsync()).Finish();
        (await running.WaitAsync(Deadline)).StatusCode.Should().Be(HttpStatusCode.Created);
        factory.Generator.Calls.Should().Be(2, "the registration that was answered 503 never generates a key; the running one made its two");
    }

    [Fact]
    public async Task On_the_prototype_route_a_full_queue_answers_503_in_the_prototypes_shape_with_Retry_After()
    {
        using var factory = new GatedGenerationFactory(new Dictionary<string, string?>
        {
            ["Keys:DefaultKeySize"] = "4096",

            // One registration's worth: two RSA-4096 pairs.
            ["Keys:Generation:MaxQueuedCost"] = "16",
        });
        using var client = factory.NewClient(Flooder);
        var running = TakeUser(client);
        var generation = await factory.Generator.NextAsync();
        var queued = TakeUser(client);
        await factory.WaitForSchedulerAsync(s => s.QueuedRequests == 1);

        var refused = await TakeUser(client).WaitAsync(Deadline);

        var error = await ApiClient.ShouldBePrototypeErrorAsync(refused, HttpStatusCode.ServiceUnavailable);
        error.Should().Contain("capacity for key generation").And.Contain("try again in");
        RetryAfterSeconds(refused).Should().BeInRange(1, 60);
        generation.Finish();
        for (var i = 0; i < 3; i++)
        {
            (await factory.Generator.NextAsync()).Finish();
        }

        (await running.WaitAsync(Deadline)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await queued.WaitAsync(Deadline)).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_queued_registration_whose_client_disconnects_never_generates_a_key()
    {
        using var factory = new GatedGenerationFactory();
        using var flooder = factory.NewClient(Flooder);
        using var leaving = factory.NewClient(Legitimate);
        var running = Register(flooder, 4096);
        var generation = await factory.Generator.NextAsync();
        using var disconnect = new CancellationTokenSource();
        var abandoned = leaving.Http.PostAsJsonAsync("/api/v1/users", new { email = ApiClient.NewEmail("gone"), keySize = 4096 }, disconnect.Token);
        await factory.WaitForSchedulerAsync(s => s.QueuedRequests == 1);

        await disconnect.CancelAsync();

        await abandoned.Invoking(t => t.WaitAsync(Deadline)).Should().ThrowAsync<OperationCanceledException>();
        await factory.WaitForSchedulerAsync(s => s.QueuedRequests == 0);
        generation.Finish();
        (await factory.Generator.NextAsync()).Finish();
        (await running.WaitAsync(Deadline)).StatusCode.Should().Be(HttpStatusCode.Created);
        factory.Scheduler.Snapshot().Running.Should().Be(0);
        factory.Generator.Calls.Should().Be(2, "the request whose client went away left the queue without a key being made for it");
    }

    private static Task<HttpResponseMessage> Register(ApiClient client, int keySize) =>
        client.PostAsync("/api/v1/users", new { email = ApiClient.NewEmail("keygen"), keySize });

    private static Task<HttpResponseMessage> TakeUser(ApiClient client) =>
        client.PostAsync("/takeuser", new Dictionary<string, string> { ["Email"] = ApiClient.NewEmail("prototype") });

    private static async Task<System.Text.Json.Nodes.JsonObject> ShouldBeBusyProblemAsync(HttpResponseMessage response)
    {
        var body = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable, Problems.Unavailable);
        ((string)body["title"]!).Should().Be("Service busy");
        var retryAfter = RetryAfterSeconds(response);
        retryAfter.Should().BeInRange(1, 60);
        ((string)body["detail"]!).Should().Contain($"try again in {retryAfter} s");
        return body;
    }

    private static int RetryAfterSeconds(HttpResponseMessage response) =>
        int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
}
