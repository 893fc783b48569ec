using System.Net;
using System.Text;

namespace CryptoSecure.Client.Tests;

/// <summary>
/// Answers the document does not list (a 500, a proxy's 502) still surface as
/// <see cref="CryptoSecureApiException"/>, with the problem details when the body is one.
/// </summary>
public sealed class CryptoSecureApiExceptionTests
{
    [Fact]
    public async Task An_undocumented_status_with_a_problem_body_carries_the_problem()
    {
        const string body = """{"type":"urn:cryptosecure:problem:internal","title":"Internal error","status":500,"detail":"The request failed on the server; it has been logged."}""";
        var client = ClientAnswering(HttpStatusCode.InternalServerError, body, "application/problem+json");

        var failure = await Assert.ThrowsAsync<CryptoSecureApiException>(() => client.GetPublicKeysAsync("alice@example.com"));

        failure.StatusCode.Should().Be(500);
        failure.Problem!.Type.Should().Be("urn:cryptosecure:problem:internal");
        failure.Problem.Title.Should().Be("Internal error");
        failure.ValidationErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task An_undocumented_validation_problem_carries_its_field_errors()
    {
        const string body = """{"type":"urn:cryptosecure:problem:validation","title":"The request is not valid.","status":422,"errors":{"email":["Not an email address."]}}""";
        var client = ClientAnswering((HttpStatusCode)422, body, "application/problem+json");

        var failure = await Assert.ThrowsAsync<CryptoSecureApiException>(() => client.GetPublicKeysAsync("alice@example.com"));

        failure.Problem.Should().BeOfType<ValidationProblemDetails>();
        failure.ValidationErrors["email"].Should().Equal("Not an email address.");
    }

    [Fact]
    public async Task An_answer_that_is_not_a_problem_has_none()
    {
        var client = ClientAnswering(HttpStatusCode.BadGateway, "<html><body>Bad gateway</body></html>", "text/html");

        var failure = await Assert.ThrowsAsync<CryptoSecureApiException>(() => client.GetPublicKeysAsync("alice@example.com"));

        failure.StatusCode.Should().Be(502);
        failure.Problem.Should().BeNull();
        failure.ValidationErrors.Should().BeEmpty();
    }

    private static CryptoSecureClient ClientAnswering(HttpStatusCode status, string body, string mediaType) =>
        new(new HttpClient(new FixedAnswer(status, body, mediaType)) { BaseAddress = new Uri("http://localhost/") });

    private sealed class FixedAnswer(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request });
    }
}
