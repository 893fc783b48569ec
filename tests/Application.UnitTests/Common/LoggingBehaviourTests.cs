using CryptoSecure.Application.Common.Behaviours;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using CryptoSecure.Domain.Encryption;
using FluentValidation;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Application.UnitTests.Common;

public class LoggingBehaviourTests
{
    private const string Plaintext = "the launch code is 0000";
    private const string Ciphertext = "eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a2V5.aXY.c2VjcmV0Y2lwaGVy.dGFn";

    [Fact]
    public async Task A_handled_message_is_logged_by_name_without_its_content()
    {
        var logger = new ListLogger<LoggingBehaviour<Encrypt, EncryptionResult>>();
        var behaviour = new LoggingBehaviour<Encrypt, EncryptionResult>(logger);
        var result = new EncryptionResult(new JweCiphertext(Ciphertext), 1);

        await behaviour.Handle(new Encrypt("alice@example.com", Plaintext), (_, _) => ValueTask.FromResult(result), CancellationToken.None);

        logger.Lines.Should().ContainSingle().Which.Should().StartWith("Encrypt handled in");
        logger.Lines.Should().NotContain(line => line.Contains(Plaintext) || line.Contains("c2VjcmV0Y2lwaGVy"));
    }

    [Fact]
    public async Task A_decryption_failure_is_logged_as_its_cause_code_only_and_rethrown_unchanged()
    {
        var logger = new ListLogger<LoggingBehaviour<Decrypt, DecryptionResult>>();
        var behaviour = new LoggingBehaviour<Decrypt, DecryptionResult>(logger);
        var failure = new DecryptionFailedException(DecryptionFailure.AuthenticationFailed);

        var act = () => behaviour.Handle(new Decrypt("alice@example.com", Ciphertext), (_, _) => throw failure, CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<DecryptionFailedException>()).Which.Should().BeSameAs(failure);
        var line = logger.Lines.Should().ContainSingle().Subject;
        line.Should().Contain(nameof(DecryptionFailure.AuthenticationFailed));
        line.Should().NotContain("c2VjcmV0Y2lwaGVy").And.NotContain("alice@example.com");
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Any_refusal_is_logged_as_rejected_by_its_type_and_rethrown_unchanged(Exception refusal)
    {
        var logger = new ListLogger<LoggingBehaviour<Encrypt, EncryptionResult>>();
        var behaviour = new LoggingBehaviour<Encrypt, EncryptionResult>(logger);

        var act = () => behaviour.Handle(new Encrypt("alice@example.com", Plaintext), (_, _) => throw refusal, CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<Exception>()).Which.Should().BeSameAs(refusal);
        logger.Lines.Should().ContainSingle().Which.Should().Be($"Encrypt rejected: {refusal.GetType()}");
    }

    public static TheoryData<Exception> Refusals => new(
        new ValidationException("bad input"),
        new IdentityNotFoundException(),
        new ConcurrencyConflictException(),
        new ServiceBusyException("busy", TimeSpan.FromSeconds(1)));

    [Fact]
    public async Task A_server_failure_is_left_to_the_HTTP_layer_to_log_with_its_details()
    {
        var logger = new ListLogger<LoggingBehaviour<Encrypt, EncryptionResult>>();
        var behaviour = new LoggingBehaviour<Encrypt, EncryptionResult>(logger);

        var act = () => behaviour.Handle(new Encrypt("alice@example.com", Plaintext), (_, _) => throw new StoreUnavailableException("down"), CancellationToken.None).AsTask();

        await act.Should().ThrowAsync<StoreUnavailableException>();
        logger.Lines.Should().BeEmpty();
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
