using System.Net;
using CryptoSecure.Api.Controllers;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Api.Security;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Keys.Commands.RotateKey;
using CryptoSecure.Application.Keys.Queries.ExportPrivateKey;
using CryptoSecure.Application.Keys.Queries.GetPublicKeys;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// Broken object-level authorization (OWASP API1:2023) matrix: every owner route, with no key, an
/// unknown key, another identity's key, the owner's key and an admin key.
/// </summary>
public sealed class AccessControlTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api = factory.NewClient();

    public static TheoryData<string> AllOwnerRoutes => OwnerRoutes.All;

    [Theory]
    [MemberData(nameof(AllOwnerRoutes))]
    public async Task Owner_routes_refuse_everyone_but_the_owner_and_admins(string route)
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        var ciphertext = await OwnerRoutes.CiphertextForAsync(_api, route, owner.Email);
        var isPrototype = route == OwnerRoutes.PrototypeDecrypt;

        foreach (var (credential, expected) in new (string?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.Unauthorized),
                     ("csk_" + new string('A', 43), HttpStatusCode.Unauthorized),
                     (other.ApiKey, HttpStatusCode.Forbidden),
                 })
        {
            var response = await CallAsync(route, owner.Email, ciphertext, credential);
            if (isPrototype)
            {
                await ApiClient.ShouldBePrototypeErrorAsync(response, expected);
            }
            else
            {
                await ApiClient.ShouldBeProblemAsync(response, expected, expected == HttpStatusCode.Forbidden ? Problems.Forbidden : Problems.Unauthorized);
            }
        }

        // Nothing was changed by the refused calls.
        var keys = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/keys"));
        ((int)keys["latestVersion"]!).Should().Be(1);

        var asOwner = await CallAsync(route, owner.Email, ciphertext, owner.ApiKey);
        asOwner.IsSuccessStatusCode.Should().BeTrue(await asOwner.Content.ReadAsStringAsync());

        var target = route == "delete" ? (await _api.RegisterAsync()).Email : owner.Email;
        var asAdmin = await CallAsync(route, target, ciphertext, factory.AdminKey);
        asAdmin.IsSuccessStatusCode.Should().BeTrue(await asAdmin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_key_may_come_in_X_Api_Key_but_never_in_the_query_string()
    {
        var owner = await _api.RegisterAsync();
        var path = $"/api/v1/users/{owner.Email}/keys/private";

        using var header = new HttpRequestMessage(HttpMethod.Get, path);
        header.Headers.Add("X-Api-Key", owner.ApiKey);
        var viaHeader = await _api.Http.SendAsync(header);
        var viaQuery = await _api.GetAsync($"{path}?api_key={owner.ApiKey}");
        var viaQuery2 = await _api.GetAsync($"{path}?apiKey={owner.ApiKey}&access_token={owner.ApiKey}");

        viaHeader.StatusCode.Should().Be(HttpStatusCode.OK);
        await ApiClient.ShouldBeProblemAsync(viaQuery, HttpStatusCode.Unauthorized);
        await ApiClient.ShouldBeProblemAsync(viaQuery2, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("bearer-and-header-different")]
    [InlineData("bearer-and-header-same")]
    [InlineData("two-x-api-key-headers")]
    public async Task Two_credentials_in_one_request_are_refused_saying_to_send_one(string shape)
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{owner.Email}/keys/private");
        switch (shape)
        {
            case "bearer-and-header-different":
                request.Headers.Authorization = new("Bearer", other.ApiKey);
                request.Headers.Add("X-Api-Key", owner.ApiKey);
                break;
            case "bearer-and-header-same":
                request.Headers.Authorization = new("Bearer", owner.ApiKey);
                request.Headers.Add("X-Api-Key", owner.ApiKey);
                break;
            default:
                request.Headers.TryAddWithoutValidation("X-Api-Key", [owner.ApiKey, owner.ApiKey]);
                break;
        }

        var response = await _api.Http.SendAsync(request);

        var problem = await ApiClient.ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
        ((string)problem["detail"]!).Should().Contain("once, in Authorization or in X-Api-Key");
    }

    [Fact]
    public async Task A_credential_in_another_scheme_is_refused_saying_to_use_Bearer()
    {
        var owner = await _api.RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{owner.Email}/keys/private");
        request.Headers.Authorization = new("Basic", owner.ApiKey);

        var problem = await ApiClient.ShouldBeProblemAsync(await _api.Http.SendAsync(request), HttpStatusCode.Unauthorized);

        ((string)problem["detail"]!).Should().Contain("Bearer");
    }

    [Fact]
    public async Task The_owner_is_recognised_whatever_the_case_of_the_address_in_the_path()
    {
        var owner = await _api.RegisterAsync(ApiClient.NewEmail("MixedCase"));

        var response = await _api.GetAsync($"/api/v1/users/{owner.Email.ToUpperInvariant()}/keys/private", owner.ApiKey);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_acting_on_an_unknown_identity_gets_404_while_others_get_401_or_403()
    {
        var someone = await _api.RegisterAsync();
        var path = $"/api/v1/users/{ApiClient.NewEmail()}/keys/private";

        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync(path, factory.AdminKey), HttpStatusCode.NotFound);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync(path, someone.ApiKey), HttpStatusCode.Forbidden);
        await ApiClient.ShouldBeProblemAsync(await _api.GetAsync(path), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Every_route_naming_an_identity_is_either_public_by_design_or_owner_only()
    {
        // The routes as the running app serves them, not as a table kept here.
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.GetParameter("email") is not null)
            .ToList();
        routes.Should().HaveCountGreaterThan(8);

        foreach (var route in routes)
        {
            var name = $"{route.RoutePattern.RawText} ({route.DisplayName})";
            var action = route.Metadata.GetMetadata<ControllerActionDescriptor>();
            action.Should().NotBeNull($"{name} names an identity, and only controller actions can be checked for what they send");
            var hasOwnerPolicy = route.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == Policies.OwnerOrAdmin);
            var sent = MessagesSent.By(action!.MethodInfo);
            sent.Should().NotBeEmpty($"{name} should send a use case");

            if (route.Metadata.GetMetadata<PublicOperationAttribute>() is not null)
            {
                hasOwnerPolicy.Should().BeFalse($"{name} is public by design");
            }
            else
            {
                hasOwnerPolicy.Should().BeTrue($"{name} acts on an identity and is not marked [PublicOperation]");
                sent.Should().Contain(t => typeof(IOwnerOnly).IsAssignableFrom(t), $"{name} is owner-only over HTTP, so the use case it sends must say so too");
            }
        }
    }

    [Fact]
    public void The_message_reader_sees_what_an_action_sends()
    {
        // The route check above is only as good as this reading of the compiled actions.
        MessagesSent.By(typeof(PrototypeController).GetMethod(nameof(PrototypeController.GetKeys))!)
            .Should().BeEquivalentTo([typeof(GetPublicKeys), typeof(ExportPrivateKey)]);
        MessagesSent.By(typeof(KeysController).GetMethod(nameof(KeysController.Rotate))!).Should().BeEquivalentTo([typeof(RotateKey)]);
    }

    [Fact]
    public async Task A_call_refused_to_another_identitys_key_is_audited_but_anonymous_refusals_are_not()
    {
        var owner = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();
        await _api.GetAsync($"/api/v1/users/{owner.Email}/keys/private", other.ApiKey);
        for (var i = 0; i < 5; i++)
        {
            await _api.GetAsync($"/api/v1/users/{owner.Email}/keys/private");
            await _api.GetAsync($"/api/v1/users/{owner.Email}/keys/private", "csk_invented");
        }

        var audit = await ApiClient.JsonAsync(await _api.GetAsync($"/api/v1/users/{owner.Email}/audit", owner.ApiKey));

        var denied = audit["events"]!.AsArray().Select(e => e!.AsObject()).Where(e => (string)e["action"]! == "denied").ToList();
        denied.Should().ContainSingle();
        ((string)denied[0]["outcome"]!).Should().Be("denied");
        // Refused once, recorded once: the HTTP policy refused it, so the use case's check never ran.
        ((int)denied[0]["count"]!).Should().Be(1);
    }

    private Task<HttpResponseMessage> CallAsync(string route, string email, string ciphertext, string? apiKey) =>
        OwnerRoutes.CallAsync(_api, route, email, ciphertext, apiKey);
}
