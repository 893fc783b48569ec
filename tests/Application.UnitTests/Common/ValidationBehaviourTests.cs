using CryptoSecure.Application.Common.Behaviours;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using FluentValidation;

namespace CryptoSecure.Application.UnitTests.Common;

public class ValidationBehaviourTests
{
    private static readonly RegisteredIdentity Registered = new("alice@example.com", 1, 3072, "PEM", DateTimeOffset.UnixEpoch, "csk_x", true, null);

    private int _nextCalls;

    [Fact]
    public async Task Failures_from_every_validator_are_collected_into_one_ValidationException_and_the_handler_is_not_run()
    {
        var behaviour = new ValidationBehaviour<RegisterIdentity, RegisteredIdentity>([new RegisterIdentityValidator(), NoOrgAddresses()]);

        var act = () => behaviour.Handle(new RegisterIdentity("alice@example.org", KeySize: 1024), Next, CancellationToken.None).AsTask();

        var errors = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors;
        errors.Select(e => e.ErrorMessage).Should().Contain("keySize must be 2048, 3072 or 4096.").And.Contain("no .org addresses");
        _nextCalls.Should().Be(0);
    }

    [Fact]
    public async Task Each_failure_is_reported_once_when_several_validators_run()
    {
        var behaviour = new ValidationBehaviour<RegisterIdentity, RegisteredIdentity>([new RegisterIdentityValidator(), NoOrgAddresses()]);

        var act = () => behaviour.Handle(new RegisterIdentity("alice@example.org", KeySize: 1024), Next, CancellationToken.None).AsTask();

        var errors = (await act.Should().ThrowAsync<ValidationException>()).Which.Errors;
        errors.Select(e => e.ErrorMessage).Should().Equal("keySize must be 2048, 3072 or 4096.", "no .org addresses");
    }

    [Fact]
    public async Task A_valid_message_is_passed_on_and_the_handlers_response_returned()
    {
        var behaviour = new ValidationBehaviour<RegisterIdentity, RegisteredIdentity>([new RegisterIdentityValidator()]);

        var response = await behaviour.Handle(new RegisterIdentity("alice@example.com", KeySize: 2048), Next, CancellationToken.None);

        response.Should().BeSameAs(Registered);
        _nextCalls.Should().Be(1);
    }

    [Fact]
    public async Task A_message_without_validators_is_passed_on()
    {
        var behaviour = new ValidationBehaviour<RegisterIdentity, RegisteredIdentity>([]);

        var response = await behaviour.Handle(new RegisterIdentity("anything"), Next, CancellationToken.None);

        response.Should().BeSameAs(Registered);
        _nextCalls.Should().Be(1);
    }

    private ValueTask<RegisteredIdentity> Next(RegisterIdentity message, CancellationToken cancellationToken)
    {
        _nextCalls++;
        return ValueTask.FromResult(Registered);
    }

    private static InlineValidator<RegisterIdentity> NoOrgAddresses()
    {
        var validator = new InlineValidator<RegisterIdentity>();
        validator.RuleFor(x => x.Email).Must(e => !e.EndsWith(".org", StringComparison.Ordinal)).WithMessage("no .org addresses");
        return validator;
    }
}
