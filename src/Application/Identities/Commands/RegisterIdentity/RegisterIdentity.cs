using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using CryptoSecure.Domain.Keys;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Identities.Commands.RegisterIdentity;

/// <summary>Registers an email address: makes its first key version (an encryption and a signing RSA key pair) and its API key.</summary>
/// <param name="Email">The address.</param>
/// <param name="KeySize">2048, 3072 or 4096; null for <c>Keys:DefaultKeySize</c>.</param>
/// <param name="Exportable">Whether the private key may be exported; null for <c>Keys:ExportableByDefault</c>.</param>
/// <param name="IncludePrivateKey">
/// Hand the private key back at once when exportable (the prototype's <c>/takeuser</c> did); recorded as an export.
/// </param>
public sealed record RegisterIdentity(string Email, int? KeySize = null, bool? Exportable = null, bool IncludePrivateKey = false) : ICommand<RegisteredIdentity>;

/// <summary>A new registration; <see cref="ApiKey"/> is shown this once and never again.</summary>
/// <param name="Email">The address as given (trimmed).</param>
/// <param name="KeyVersion">1.</param>
/// <param name="KeySize">RSA modulus bits.</param>
/// <param name="PublicKeyPem">SPKI PEM.</param>
/// <param name="CreatedAt">Registration time.</param>
/// <param name="ApiKey">The owner's API key.</param>
/// <param name="Exportable">Whether the private key may be exported.</param>
/// <param name="PrivateKeyPem">PKCS#8 PEM, only when asked for and exportable.</param>
/// <param name="EmailVerified">False: a new registration has not proven its address.</param>
/// <param name="VerificationExpiresAt">
/// With <c>Registration:EmailVerification=Required</c>, when the pending registration is destroyed
/// unless its mailed code is entered; null when verification is off (the identity is usable at once).
/// </param>
public sealed record RegisteredIdentity(
    string Email, int KeyVersion, int KeySize, string PublicKeyPem, DateTimeOffset CreatedAt, [Secret] string ApiKey, bool Exportable, [Secret] string? PrivateKeyPem,
    bool EmailVerified = false, DateTimeOffset? VerificationExpiresAt = null)
{
    /// <inheritdoc />
    public override string ToString() => $"RegisteredIdentity {{ Email = {Email}, KeyVersion = {KeyVersion}, KeySize = {KeySize} }}";
}
public sealed class RegisterIdentityHandler(
    IKeyStore store,
    IRsaKeyFactory keyFactory,
    IRequestContext request,
    IKeyProtector protector,
    IApiKeyIssuer apiKeys,
    IKeyFormatter formatter,
    AuditRecorder audit,
    TimeProvider clock,
    IOptions<KeyOptions> options,
    IOptions<RegistrationOptions> registration,
    VerificationCodes codes) : ICommandHandler<RegisterIdentity, RegisteredIdentity>
{
    /// <inheritdoc />
    public async ValueTask<RegisteredIdentity> Handle(RegisterIdentity command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var email = EmailAddress.Parse(command.Email);

        // A cheap check first, so a duplicate does not spend a key pair. The store's unique
        // constraint still decides races between concurrent registrations.
        if (await store.FindAsync(email, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new IdentityAlreadyExistsException();
        }

        // Counted before a key pair is spent: beyond the limit the registration is a 429.
        var required = registration.Value.EmailVerification == EmailVerificationMode.Required;
        if (required)
        {
            await codes.CountMailAsync(email, cancellationToken).ConfigureAwait(false);
        }

        var size = KeySize.FromBits(command.KeySize ?? options.Value.DefaultKeySize);
        using var keyPairs = await VersionKeyPairs.CreateAsync(keyFactory, size, request.FairShareKey, cancellationToken).ConfigureAwait(false);
        var keyPair = keyPairs.Encryption;

        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var apiKey = apiKeys.Issue();
        var exportable = command.Exportable ?? options.Value.ExportableByDefault;
        var first = keyPairs.ToKeyVersion(protector, new KeyBinding(id, email.Normalized, 1), now);
        DateTimeOffset? pendingUntil = required ? now + registration.Value.VerificationWindow : null;
        var code = pendingUntil is { } until ? VerificationCodes.New(id, CodePurpose.Registration, until) : default;
        var identity = pendingUntil is { } expiry
            ? Identity.RegisterPending(id, email, apiKey.Hash, exportable, first, now, expiry, code.Stored)
            : Identity.Register(id, email, apiKey.Hash, exportable, first, now);

        var handOut = command.IncludePrivateKey && exportable;
        var events = new List<AuditEvent> { audit.Create(id, AuditAction.Registered, AuditOutcome.Success, 1) };
        if (handOut)
        {
            events.Add(audit.Create(id, AuditAction.Exported, AuditOutcome.Success, 1));
        }

        if (required)
        {
            events.Add(audit.Create(id, AuditAction.VerificationCodeSent, AuditOutcome.Success, null));
        }

        await store.CreateAsync(identity, events, cancellationToken).ConfigureAwait(false);
        if (pendingUntil is { } codeExpiry)
        {
            codes.Send(email, CodePurpose.Registration, code.Code, codeExpiry);
        }

        return new RegisteredIdentity(
            email.Display,
            1,
            size.Bits,
            formatter.PublicKeyPem(keyPair.PublicKey),
            now,
            apiKey.Key,
            exportable,
            handOut ? formatter.PrivateKeyPem(keyPair.PrivateKeyPkcs8) : null,
            EmailVerified: false,
            VerificationExpiresAt: pendingUntil);
    }
}
