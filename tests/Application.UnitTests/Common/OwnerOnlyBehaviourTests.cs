using CryptoSecure.Application.Audit.Commands.RecordAccessDenied;
using CryptoSecure.Application.Common.Behaviours;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Keys.Commands.RotateKey;
using CryptoSecure.Application.Keys.Common;
using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CryptoSecure.Application.UnitTests.Common;

public class OwnerOnlyBehaviourTests
{
    private const string Owner = "alice@example.com";

    private static readonly KeyRingView Handled = new(Owner, 1, 1, true, [], 0, null, null);

    private readonly Mock<IRequestContext> _request = new();
    private readonly Mock<ISender> _sender = new();
    private readonly List<RecordAccessDenied> _recorded = [];
    private int _handlerCalls;

    public OwnerOnlyBehaviourTests() =>
        _sender.Setup(s => s.Send(It.IsAny<ICommand<Unit>>(), It.IsAny<CancellationToken>()))
            .Callback<ICommand<Unit>, CancellationToken>((c, _) => _recorded.Add((RecordAccessDenied)c))
            .Returns(() => ValueTask.FromResult(Unit.Value));

    public static TheoryData<string> SpellingsOfTheOwnersAddress => new() { Owner, "ALICE@Example.COM", "  alice@example.com " };

    [Theory]
    [MemberData(nameof(SpellingsOfTheOwnersAddress))]
    public async Task The_owner_reaches_the_handler_however_the_address_is_spelled(string email)
    {
        var result = await SendAs(Caller.OwnerOf(Owner), new RotateKey(email));

        result.Should().BeSameAs(Handled);
        _handlerCalls.Should().Be(1);
        _recorded.Should().BeEmpty();
    }

    [Theory]
    [InlineData(Owner)]
    [InlineData("someone-else@example.com")]
    [InlineData("not an address")]
    public async Task An_admin_reaches_the_handler_for_any_address(string email)
    {
        // An invalid address is then the validator's to refuse (400), after this behaviour.
        (await SendAs(Caller.Admin, new RotateKey(email))).Should().BeSameAs(Handled);

        _handlerCalls.Should().Be(1);
    }

    [Fact]
    public async Task A_caller_without_a_key_is_refused_as_not_authenticated_before_the_handler_and_not_recorded()
    {
        var act = () => SendAs(Caller.Anonymous, new RotateKey(Owner));

        await act.Should().ThrowAsync<CallerNotAuthenticatedException>();
        _handlerCalls.Should().Be(0);
        _recorded.Should().BeEmpty("strangers without a key cannot fill an identity's trail");
    }

    [Theory]
    [InlineData(Owner)]
    [InlineData("not an address")]
    public async Task Another_identitys_key_is_refused_before_the_handler_and_the_refusal_is_recorded(string email)
    {
        var act = () => SendAs(Caller.OwnerOf("mallory@example.com"), new RotateKey(email));

        await act.Should().ThrowAsync<CallerNotOwnerException>();
        _handlerCalls.Should().Be(0);
        // Recorded through the aggregated refusal of RecordAccessDenied, which skips unregistered addresses.
        _recorded.Should().Equal(new RecordAccessDenied(email));
    }

    [Fact]
    public async Task The_refusal_stands_when_the_store_cannot_record_it()
    {
        _sender.Setup(s => s.Send(It.IsAny<ICommand<Unit>>(), It.IsAny<CancellationToken>()))
            .Returns(() => ValueTask.FromException<Unit>(new StoreUnavailableException("down")));

        var act = () => SendAs(Caller.OwnerOf("mallory@example.com"), new RotateKey(Owner));

        await act.Should().ThrowAsync<CallerNotOwnerException>();
        _handlerCalls.Should().Be(0);
    }

    private async Task<KeyRingView> SendAs(Caller caller, RotateKey command)
    {
        _request.SetupGet(r => r.Caller).Returns(caller);
        var behaviour = new OwnerOnlyBehaviour<RotateKey, KeyRingView>(_request.Object, _sender.Object, NullLogger<OwnerOnlyBehaviour<RotateKey, KeyRingView>>.Instance);
        return await behaviour.Handle(
            command,
            (_, _) =>
            {
                _handlerCalls++;
                return ValueTask.FromResult(Handled);
            },
            CancellationToken.None);
    }
}
