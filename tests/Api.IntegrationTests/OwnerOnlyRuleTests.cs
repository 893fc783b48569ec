using System.Net;
using System.Text.Json.Nodes;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Api.Security;
using CryptoSecure.Application;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Security;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// The owner-only rule is the use case's, not only the route's: every message marked
/// <see cref="IOwnerOnly"/>, sent through the real mediator by someone who is neither the owner
/// nor an admin, is refused before its handler, however it was sent.
/// </summary>
public sealed class OwnerOnlyRuleTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    public static TheoryData<Type> OwnerOnlyMessages()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(ApplicationAssembly).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IOwnerOnly).IsAssignableFrom(t)))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OwnerOnlyMessages))]
    public async Task A_stranger_never_reaches_the_handler_of_an_owner_only_message(Type messageType)
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var message = Build(messageType, owner.Email);

        // No HTTP request at all (a background job, another transport): nobody is calling.
        var anonymous = () => SendAsync(message, apiKey: null);
        var otherIdentity = () => SendAsync(message, other.ApiKey);

        await anonymous.Should().ThrowAsync<CallerNotAuthenticatedException>();
        await otherIdentity.Should().ThrowAsync<CallerNotOwnerException>();

        // Nothing was done; the stranger's refusal (and only it) was recorded, once.
        var keys = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/keys"));
        ((int)keys["latestVersion"]!).Should().Be(1);
        ((int)keys["minDecryptionVersion"]!).Should().Be(1);
        var events = await TrailOf(owner);
        events.Select(e => (string)e["action"]!).Should().BeEquivalentTo(["registered", "denied"]);
        var denied = events.Single(e => (string)e["action"]! == "denied");
        ((string)denied["actor"]!).Should().Be("other");
        ((int)denied["count"]!).Should().Be(1);
    }

    [Fact]
    public async Task The_owner_and_an_admin_get_through_the_same_check()
    {
        var owner = await _api.RegisterAsync();
        var message = Build(typeof(Application.Keys.Commands.RotateKey.RotateKey), owner.Email);

        await SendAsync(message, owner.ApiKey);
        await SendAsync(message, factory.AdminKey);

        var keys = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/keys"));
        ((int)keys["latestVersion"]!).Should().Be(3);
    }

    /// <summary>
    /// A message of <paramref name="type"/> for <paramref name="email"/> that its handler would
    /// accept: defaults where the record has them, small valid values otherwise.
    /// </summary>
    private static object Build(Type type, string email)
    {
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)!;
        var arguments = constructor.GetParameters().Select(p => p switch
        {
            { Name: nameof(IOwnerOnly.Email) } => email,
            { HasDefaultValue: true } => p.DefaultValue,
            _ when p.ParameterType == typeof(string) => "x",
            _ when p.ParameterType == typeof(int) => 1,
            _ => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null,
        }).ToArray();
        return constructor.Invoke(arguments);
    }

    /// <summary>
    /// Sends through the app's own mediator, as a caller authenticated by the app's own API-key
    /// scheme (or as nobody, outside any HTTP request), without the HTTP policy in the way.
    /// </summary>
    private async Task SendAsync(object message, string? apiKey)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        if (apiKey is not null)
        {
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Headers.Authorization = "Bearer " + apiKey;
            var authenticated = await http.AuthenticateAsync(ApiKeyDefaults.Scheme);
            authenticated.Succeeded.Should().BeTrue();
            http.User = authenticated.Principal!;
            accessor.HttpContext = http;
        }

        try
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(message);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    private async Task<List<JsonObject>> TrailOf(Registered owner)
    {
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", owner.ApiKey));
        return audit["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
    }
}

/// <summary>
/// The server with the HTTP policy switched off for owner routes: what the use case's own check
/// answers is then what clients get, and it is the same as the policy's answers.
/// </summary>
public sealed class OwnerOnlyRuleWithoutHttpPolicyTests : IClassFixture<OwnerOnlyRuleWithoutHttpPolicyTests.PolicyOffFactory>
{
    private readonly PolicyOffFactory _factory;
    private readonly ApiClient _api;

    public OwnerOnlyRuleWithoutHttpPolicyTests(PolicyOffFactory factory)
    {
        _factory = factory;
        _api = factory.NewClient();
    }

    public static TheoryData<string> AllOwnerRoutes => OwnerRoutes.All;

    [Theory]
    [MemberData(nameof(AllOwnerRoutes))]
    public async Task Owner_routes_still_refuse_strangers_with_the_same_answers(string route)
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var ciphertext = await OwnerRoutes.CiphertextForAsync(_api, route, owner.Email);

        foreach (var (credential, expected) in new (string?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.Unauthorized),
                     (other.ApiKey, HttpStatusCode.Forbidden),
                 })
        {
            var response = await OwnerRoutes.CallAsync(_api, route, owner.Email, ciphertext, credential);
            if (route == OwnerRoutes.PrototypeDecrypt)
            {
                await ApiClient.ShouldBePrototypeErrorAsync(response, expected);
            }
            else
            {
                var problem = await ApiClient.ShouldBeProblemAsync(response, expected, expected == HttpStatusCode.Forbidden ? Problems.Forbidden : Problems.Unauthorized);
                ((string)problem["detail"]!).Should().Be(expected == HttpStatusCode.Forbidden
                    ? "This API key does not belong to this identity."
                    : "This operation needs the identity's API key: send Authorization: Bearer <apiKey> (or X-Api-Key).");
            }

            if (expected == HttpStatusCode.Unauthorized)
            {
                response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
            }
        }

        var keys = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/keys"));
        ((int)keys["latestVersion"]!).Should().Be(1);
        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/audit?kind=denied", owner.ApiKey));
        var denied = audit["events"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        ((int)denied["count"]!).Should().Be(1);

        var asOwner = await OwnerRoutes.CallAsync(_api, route, owner.Email, ciphertext, owner.ApiKey);
        asOwner.IsSuccessStatusCode.Should().BeTrue(await asOwner.Content.ReadAsStringAsync());
        var target = route == "delete" ? (await _api.RegisterAsync()).Email : owner.Email;
        var asAdmin = await OwnerRoutes.CallAsync(_api, route, target, ciphertext, _factory.AdminKey);
        asAdmin.IsSuccessStatusCode.Should().BeTrue(await asAdmin.Content.ReadAsStringAsync());
    }

    /// <summary>The real server, with <see cref="Policies.OwnerOrAdmin"/> letting everyone through.</summary>
    public sealed class PolicyOffFactory : ApiFactory
    {
        public PolicyOffFactory()
            : base(new Dictionary<string, string?>())
        {
            TestServices = services => services.AddAuthorizationBuilder()
                .AddPolicy(Policies.OwnerOrAdmin, policy => policy.RequireAssertion(_ => true));
        }
    }
}
