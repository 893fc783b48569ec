using System.Net;
using CryptoSecure.Api.Hosting;
using CryptoSecure.Api.IntegrationTests.Infrastructure;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// MVC model validation is replaced by <see cref="BindingErrorsOnlyValidator"/> (FluentValidation
/// on the commands holds the rules): binding failures still get 400, and no contract may rely on a
/// validation attribute that would now be ignored.
/// </summary>
public sealed class ModelValidationTests : IClassFixture<ApiFactory>
{
    private readonly ApiClient _api;

    public ModelValidationTests(ApiFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _api = factory.NewClient();
    }

    [Fact]
    public void No_contract_or_action_parameter_carries_a_validation_attribute_that_MVC_would_have_checked()
    {
        BindingErrorsOnlyValidator.ContractsWithValidationAttributes(typeof(BindingErrorsOnlyValidator).Assembly)
            .Should().BeEmpty("MVC validation does not run: put the rule in the command's FluentValidation validator");
    }

    [Fact]
    public void The_check_finds_a_validation_attribute_on_a_contract()
    {
        BindingErrorsOnlyValidator.ContractsWithValidationAttributes(typeof(ModelValidationTests).Assembly)
            .Should().Contain(nameof(AnnotatedContract));
    }

    [Fact]
    public async Task Binding_failures_are_still_answered_with_400_and_valid_bodies_pass()
    {
        var registered = await _api.RegisterAsync();

        var wrongType = await _api.PostRawAsync($"/api/v1/users/{registered.Email}/encrypt", "{\"plaintext\": 42}");
        var malformed = await _api.PostRawAsync($"/api/v1/users/{registered.Email}/encrypt", "{\"plaintext\": ");
        var badQuery = await _api.GetAsync($"/api/v1/users/{registered.Email}/keys/private?version=abc", registered.ApiKey);
        var valid = await _api.PostRawAsync($"/api/v1/users/{registered.Email}/encrypt", "{\"plaintext\": \"hello\"}");

        await ApiClient.ShouldBeProblemAsync(wrongType, HttpStatusCode.BadRequest, Problems.Validation);
        await ApiClient.ShouldBeProblemAsync(malformed, HttpStatusCode.BadRequest, Problems.Validation);
        await ApiClient.ShouldBeProblemAsync(badQuery, HttpStatusCode.BadRequest, Problems.Validation);
        valid.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>A contract of the kind the check must catch.</summary>
    public sealed record AnnotatedContract([property: System.ComponentModel.DataAnnotations.Range(1, 2)] int Value);

    /// <summary>Its controller, so the check sees it as an action's parameter.</summary>
    public sealed class AnnotatedController : Microsoft.AspNetCore.Mvc.ControllerBase
    {
        [Microsoft.AspNetCore.Mvc.NonAction]
        public Microsoft.AspNetCore.Mvc.IActionResult Take(AnnotatedContract contract) => Ok(contract);
    }
}
