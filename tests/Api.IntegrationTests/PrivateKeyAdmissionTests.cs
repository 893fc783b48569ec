using System.Net;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Api.Limits;
using CryptoSecure.Application;
using CryptoSecure.Application.Batch;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Encryption.Common;
using Mediator;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// When the private-key gate cannot take even the cheapest operation from a client, the routes that
/// would do private-key work answer 503 before authentication and before the body is read, in the
/// route's own error shape; every other route is untouched. Which routes those are is read from the
/// running app and the use cases' handlers, not from a table kept here.
/// </summary>
public sealed class PrivateKeyAdmissionTests : IDisposable
{
    private readonly SwitchableGate _gate = new();
    private readonly ApiFactory _factory;
    private readonly ApiClient _api;

    public PrivateKeyAdmissionTests()
    {
        _factory = new ApiFactory { TestServices = services => services.Replace(ServiceDescriptor.Singleton<IPrivateKeyGate>(_gate)) };
        _api = _factory.NewClient();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public void The_routes_marked_for_private_key_work_are_exactly_those_whose_use_cases_use_the_private_key_gate()
    {
        var usesGate = MessagesUsingPrivateKeys();
        usesGate.Should().Contain(t => t.Name == "Decrypt").And.Contain(t => t.Name == "Sign").And.Contain(t => t.Name == "DecryptBatch");

        var routes = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is not null)
            .ToList();
        var marked = new List<string>();
        foreach (var route in routes)
        {
            var action = route.Metadata.GetMetadata<ControllerActionDescriptor>()!;
            var name = $"{route.RoutePattern.RawText} ({action.ActionName})";
            var doesPrivateKeyWork = MessagesSent.By(action.MethodInfo).Any(usesGate.Contains);
            var isMarked = route.Metadata.GetMetadata<PrivateKeyWorkAttribute>() is not null;
            isMarked.Should().Be(doesPrivateKeyWork, doesPrivateKeyWork
                ? $"{name} sends a use case that does private-key work, so it must be turned away early when the gate is full"
                : $"{name} does no private-key work, so a full gate must not turn it away");
            if (isMarked)
            {
                marked.Add(name);
            }
        }

        marked.Should().HaveCount(6, "decrypt, rewrap, sign, their two batches and the prototype's decrypt: " + string.Join(", ", marked));
    }

    [Fact]
    public async Task With_the_gate_full_a_decrypt_is_a_503_with_Retry_After_before_its_API_key_is_even_checked()
    {
        var owner = await _api.RegisterAsync();
        var jwe = await _api.EncryptAsync(owner.Email, "hello");
        _gate.FullAtTheDoor = true;

        var anonymous = await _api.PostAsync($"/api/v1/users/{owner.Email}/decrypt", new { ciphertext = jwe });
        var owners = await _api.PostAsync($"/api/v1/users/{owner.Email}/decrypt", new { ciphertext = jwe }, owner.ApiKey);

        foreach (var refused in new[] { anonymous, owners })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
            refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await refused.Content.ReadAsStringAsync()).Should().Contain("capacity");
        }

        _gate.Asked.Should().Be(0, "nothing reached the use case");

        _gate.FullAtTheDoor = false;
        (await _api.PostAsync($"/api/v1/users/{owner.Email}/decrypt", new { ciphertext = jwe })).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized, "with room again the request is authenticated as usual");
        (await _api.PostAsync($"/api/v1/users/{owner.Email}/decrypt", new { ciphertext = jwe }, owner.ApiKey)).StatusCode
            .Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_prototype_decrypt_is_refused_in_the_prototype_shape()
    {
        var owner = await _api.RegisterAsync();
        _gate.FullAtTheDoor = true;

        var refused = await _api.PostAsync($"/decrypt/{owner.Email}", new { ciphertext = "00" }, owner.ApiKey);

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.Should().NotBeNull();
        var body = await ApiClient.JsonAsync(refused);
        ((string)body["error"]!).Should().Contain("capacity");
    }

    [Fact]
    public async Task With_the_gate_full_routes_without_private_key_work_answer_as_always()
    {
        var owner = await _api.RegisterAsync();
        _gate.FullAtTheDoor = true;

        (await _api.PostAsync($"/api/v1/users/{owner.Email}/encrypt", new { plaintext = "still fine" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _api.GetAsync($"/api/v1/users/{owner.Email}/keys")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _api.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    // A message does private-key work when its handler takes the gate or the key-ring decryptor, or
    // when it is a batch of such messages.
    private static HashSet<Type> MessagesUsingPrivateKeys()
    {
        var handlers = typeof(ApplicationAssembly).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false });
        var direct = new HashSet<Type>();
        foreach (var handler in handlers)
        {
            var takesGate = handler.GetConstructors().SelectMany(c => c.GetParameters())
                .Any(p => p.ParameterType == typeof(IPrivateKeyGate) || p.ParameterType == typeof(KeyRingDecryptor));
            if (!takesGate)
            {
                continue;
            }

            foreach (var handled in handler.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommandHandler<,>)))
            {
                direct.Add(handled.GetGenericArguments()[0]);
            }
        }

        var batches = typeof(ApplicationAssembly).Assembly.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IBatch<>) && direct.Contains(i.GetGenericArguments()[0])));
        return [.. direct, .. batches];
    }
}
