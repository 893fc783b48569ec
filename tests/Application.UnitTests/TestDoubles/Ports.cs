using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Encryption.Common;
using CryptoSecure.Application.Identities.Common;
using Microsoft.Extensions.Options;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace CryptoSecure.Application.UnitTests.TestDoubles;

/// <summary>The ports a handler talks to: Moq mocks where Moq can see the arguments, fakes where spans are involved.</summary>
internal sealed class Ports
{
    public const string ClientAddress = "203.0.113.7";
    public const string FairShareKey = "fair-share-of-203.0.113.7";
    public const string RequestId = "req-0001";

    public static readonly DateTimeOffset Now = new(2025, 7, 1, 10, 0, 0, TimeSpan.Zero);

    public Ports()
    {
        Request.Setup(r => r.ActorFor(It.IsAny<Guid>())).Returns(AuditActor.Owner);
        Request.SetupGet(r => r.ClientAddress).Returns(ClientAddress);
        Request.SetupGet(r => r.FairShareKey).Returns(FairShareKey);
        Request.SetupGet(r => r.RequestId).Returns(RequestId);
        Request.SetupGet(r => r.Caller).Returns(Caller.Anonymous);
        Trail.Setup(t => t.AppendAsync(It.IsAny<AuditEvent>(), It.IsAny<CancellationToken>()))
            .Callback<AuditEvent, CancellationToken>((e, _) => Appended.Add(e))
            .Returns(Task.CompletedTask);
        Store.Setup(s => s.SaveAsync(It.IsAny<Identity>(), It.IsAny<long>(), It.IsAny<IReadOnlyList<AuditEvent>>(), It.IsAny<CancellationToken>()))
            .Returns((Identity next, long expectedRevision, IReadOnlyList<AuditEvent> events, CancellationToken _) =>
            {
                Saves.Add(new SaveCall(next, expectedRevision, events));
                return Saves.Count <= ConflictsToRaise ? Task.FromException(new ConcurrencyConflictException()) : Task.CompletedTask;
            });
    }

    public Mock<IKeyStore> Store { get; } = new();

    public Mock<IAuditTrail> Trail { get; } = new();

    public Mock<IRequestContext> Request { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Now);

    public FakeKeyProtector Protector { get; } = new();

    public FakePayloadCipher Cipher { get; } = new();

    public FakeKeyFormatter Formatter { get; } = new();

    public FakePrivateKeyGate Gate { get; } = new();

    /// <summary>Every save asked of the store, the refused ones included.</summary>
    public List<SaveCall> Saves { get; } = [];

    /// <summary>How many saves, from the first, lose their race with a conflict.</summary>
    public int ConflictsToRaise { get; set; }

    /// <summary>Events appended to the audit trail (operations that change nothing stored).</summary>
    public List<AuditEvent> Appended { get; } = [];

    public AuditRecorder Audit => new(Trail.Object, Request.Object, Clock);

    public KeyRingDecryptor Decryptor => new(Protector, Cipher, Gate);

    public KeyRingEncryptor Encryptor => new(Cipher);

    public RegistrationOptions Registration { get; } = new();

    /// <summary>The look-up handlers find identities through, over <see cref="Store"/>, as an anonymous caller unless <see cref="Request"/> says otherwise.</summary>
    public IdentityLookup Lookup => new(Store.Object, Request.Object, Options.Create(Registration), Clock);

    /// <summary>Makes the store find <paramref name="identity"/> under its address (in any case).</summary>
    public Identity Holds(Identity identity)
    {
        Store.Setup(s => s.FindAsync(identity.Email, It.IsAny<CancellationToken>())).ReturnsAsync(identity);
        Store.Setup(s => s.FindByIdAsync(identity.Id, It.IsAny<CancellationToken>())).ReturnsAsync(identity);
        return identity;
    }

    /// <summary>An event as <see cref="AuditRecorder"/> stamps it in these tests.</summary>
    public static AuditEvent Expected(Guid identityId, AuditAction action, AuditOutcome outcome, int? keyVersion) =>
        new(identityId, Now, action, outcome, AuditActor.Owner, keyVersion, ClientAddress, RequestId);

    /// <summary>One call of <see cref="IKeyStore.SaveAsync"/>.</summary>
    public sealed record SaveCall(Identity Next, long ExpectedRevision, IReadOnlyList<AuditEvent> AuditEvents);
}
