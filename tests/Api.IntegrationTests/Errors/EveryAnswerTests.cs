using System.Globalization;
using System.Net;
using CryptoSecure.Api.Errors;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application.Common.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests.Errors;

/// <summary>
/// Every entry of the <see cref="ProblemCatalogue"/> is an answer the server really gives, over
/// HTTP, with exactly the entry's type, status and title; and every refusal a use case can throw
/// is answered from the catalogue with its own message.
/// </summary>
public sealed class EveryAnswerTests(EveryAnswerTests.Server server) : IClassFixture<EveryAnswerTests.Server>
{
    private readonly ApiClient _api = server.Factory.NewClient();

    /// <summary>A server with a small body limit and <see cref="ThrowingController"/> mapped.</summary>
    public sealed class Server : IDisposable
    {
        public ApiFactory Factory { get; } = ApiFactory.With(
            new Dictionary<string, string?> { ["Limits:MaxRequestBodyBytes"] = "4096" },
            services => services.AddControllers().AddApplicationPart(typeof(ThrowingController).Assembly));

        public void Dispose() => Factory.Dispose();
    }

    // How to get each answer: a plain request where one gives it, the test route otherwise.
    private static readonly Dictionary<string, Func<ApiClient, Task<HttpResponseMessage>>> Requests = new()
    {
        [nameof(ProblemCatalogue.Validation)] = api => api.PostAsync("/api/v1/users", new { email = "not an address" }),
        [nameof(ProblemCatalogue.DecryptionFailed)] = async api =>
        {
            var owner = await api.RegisterAsync();
            return await api.DecryptAsync(owner.Email, "zz", owner.ApiKey);
        },
        [nameof(ProblemCatalogue.BadRequest)] = api => Throw<BadHttpRequestException>(api),
        [nameof(ProblemCatalogue.Unauthorized)] = api => api.GetAsync($"/api/v1/users/{ApiClient.NewEmail()}/keys/private"),
        [nameof(ProblemCatalogue.Forbidden)] = async api =>
        {
            var owner = await api.RegisterAsync();
            var other = await api.RegisterAsync();
            return await api.GetAsync($"/api/v1/users/{owner.Email}/keys/private", other.ApiKey);
        },
        [nameof(ProblemCatalogue.NotFound)] = api => api.GetAsync($"/api/v1/users/{ApiClient.NewEmail()}/keys"),
        [nameof(ProblemCatalogue.MethodNotAllowed)] = api => api.DeleteAsync("/api/v1/users"),
        [nameof(ProblemCatalogue.AlreadyRegistered)] = async api =>
        {
            var owner = await api.RegisterAsync();
            return await api.PostAsync("/api/v1/users", new { email = owner.Email });
        },
        [nameof(ProblemCatalogue.ConcurrentChange)] = api => Throw<ConcurrencyConflictException>(api),
        [nameof(ProblemCatalogue.PendingDeletion)] = async api =>
        {
            var owner = await api.RegisterAsync();
            (await api.DeleteAsync($"/api/v1/users/{owner.Email}", owner.ApiKey)).StatusCode.Should().Be(HttpStatusCode.Accepted);
            return await api.PostAsync($"/api/v1/users/{owner.Email}/keys/rotate", new { }, owner.ApiKey);
        },
        [nameof(ProblemCatalogue.PayloadTooLarge)] = api => api.PostRawAsync("/api/v1/users", "{\"email\":\"" + new string('a', 5000) + "\"}"),
        [nameof(ProblemCatalogue.UnsupportedMediaType)] = api => api.PostRawAsync("/api/v1/users", "email=a@example.com", "text/plain"),
        [nameof(ProblemCatalogue.TooManyRequests)] = async _ =>
        {
            using var limited = ApiFactory.With(new Dictionary<string, string?>
            {
                ["RateLimiting:Enabled"] = "true",
                ["RateLimiting:Public:PermitLimit"] = "1",
                ["RateLimiting:Public:WindowSeconds"] = "600",
            });
            using var api = limited.NewClient();
            await api.GetAsync($"/api/v1/users/{ApiClient.NewEmail()}/keys");
            var second = await api.GetAsync($"/api/v1/users/{ApiClient.NewEmail()}/keys");
            await second.Content.LoadIntoBufferAsync();
            return second;
        },
        [nameof(ProblemCatalogue.Internal)] = api => Throw<InvalidOperationException>(api),
        [nameof(ProblemCatalogue.Busy)] = api => Throw<ServiceBusyException>(api),
        [nameof(ProblemCatalogue.Unavailable)] = api => Throw<StoreUnavailableException>(api),
        [nameof(ProblemCatalogue.NotSupported)] = api => Throw<OperationNotSupportedException>(api),
    };

    public static TheoryData<string> Entries => new(ProblemCatalogueTests.Entries.Keys);

    public static TheoryData<string> Refusals => new(ProblemCatalogueTests.ClientFacingExceptions.Select(t => t.FullName!));

    [Fact]
    public void Every_request_here_is_for_an_entry_of_the_catalogue()
    {
        Requests.Keys.Should().BeSubsetOf(ProblemCatalogueTests.Entries.Keys);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public async Task Each_catalogue_entry_is_an_answer_the_server_gives(string entry)
    {
        Requests.Should().ContainKey(entry, "every answer in the catalogue needs a request here that gets it");
        var problem = ProblemCatalogueTests.Entries[entry];

        var response = await Requests[entry](_api);

        var body = await ApiClient.ShouldBeProblemAsync(response, (HttpStatusCode)problem.Status, problem.Type);
        ((string)body["title"]!).Should().Be(problem.Title);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Each_refusal_a_use_case_throws_is_answered_from_the_catalogue_with_its_own_message(string typeName)
    {
        var refusal = (ClientFacingException)SampleExceptions.Create(SampleExceptions.Find(typeName));
        var problem = ProblemCatalogue.For(refusal.Kind);

        var response = await _api.GetAsync($"{ThrowingController.Route}/{typeName}");

        var body = await ApiClient.ShouldBeProblemAsync(response, (HttpStatusCode)problem.Status, problem.Type);
        ((string)body["title"]!).Should().Be(problem.Title);
        ((string)body["detail"]!).Should().Be(refusal.Message);
        if (refusal.RetryAfter is not null)
        {
            response.Headers.GetValues("Retry-After").Should().Equal("7");
        }
    }

    [Fact]
    public async Task An_unreachable_store_gets_a_fixed_text_and_a_retry_after_its_message_stays_in_the_log()
    {
        var response = await Throw<StoreUnavailableException>(_api);

        var body = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.ServiceUnavailable, Problems.Unavailable);
        body.ToJsonString().Should().NotContain(SampleExceptions.Message(typeof(StoreUnavailableException))).And.NotContain(SampleExceptions.InnerDetail);
        response.Headers.GetValues("Retry-After").Should().Equal("5");
        server.Factory.Logs.Lines.Should().Contain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Key store unavailable") && l.Contains(SampleExceptions.InnerDetail));
    }

    [Fact]
    public async Task A_key_that_fails_its_integrity_check_is_a_generic_500_logged_as_critical()
    {
        var response = await Throw<KeyIntegrityException>(_api);

        var body = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.InternalServerError, Problems.Internal);
        body.ToJsonString().Should().NotContain("integrity");
        server.Factory.Logs.Lines.Should().Contain(l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("integrity check"));
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_without_its_message()
    {
        var response = await Throw<InvalidOperationException>(_api);

        var body = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.InternalServerError, Problems.Internal);
        body.ToJsonString().Should().NotContain(SampleExceptions.Message(typeof(InvalidOperationException)));
        response.Headers.Contains("Retry-After").Should().BeFalse();
    }

    private static Task<HttpResponseMessage> Throw<TException>(ApiClient api)
        where TException : Exception =>
        api.GetAsync(string.Create(CultureInfo.InvariantCulture, $"{ThrowingController.Route}/{typeof(TException).FullName}"));
}
