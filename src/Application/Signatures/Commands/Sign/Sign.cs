using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Signatures.Common;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Signatures.Commands.Sign;

/// <summary>
/// Signs a payload, or (raw format only) its SHA-256 digest, with the latest key version's signing
/// key (owner or admin only, see <see cref="IOwnerOnly"/>). The latest version is always at or above
/// the minimum decryption version, so versions below it never sign.
/// </summary>
/// <param name="Email">The identity.</param>
/// <param name="Payload">Text to sign (as UTF-8).</param>
/// <param name="PayloadBase64">Bytes to sign, base64.</param>
/// <param name="DigestBase64">SHA-256 of the bytes to sign, base64 of 32 bytes; raw format only.</param>
/// <param name="Format">"jws" (default) or "raw".</param>
/// <param name="Algorithm">"PS256" (default) or "RS256".</param>
public sealed record Sign(string Email, [Secret] string? Payload, [Secret] string? PayloadBase64 = null, string? DigestBase64 = null, string? Format = null, string? Algorithm = null)
    : ICommand<SignatureResult>, IOwnerOnly
{
    /// <inheritdoc />
    public override string ToString() => $"Sign {{ Email = {Email}, Format = {Format ?? SignatureNames.Jws}, Algorithm = {Algorithm ?? nameof(SignatureAlgorithm.PS256)} }}";
}

/// <summary>A signature and what made it. A JWS carries its payload (base64url, readable), so it is as secret as the payload.</summary>
/// <param name="Signature">The JWS compact serialization, or standard base64 of the raw signature.</param>
/// <param name="Format">The format.</param>
/// <param name="Algorithm">The algorithm.</param>
/// <param name="KeyVersion">The key version whose signing key signed.</param>
public sealed record SignatureResult([Secret] string Signature, SignatureFormat Format, SignatureAlgorithm Algorithm, int KeyVersion)
{
    /// <inheritdoc />
    public override string ToString() => $"SignatureResult {{ Format = {Format}, Algorithm = {Algorithm}, KeyVersion = {KeyVersion} }}";
}
public sealed class SignHandler(
    IKeyStore store,
    SigningKeyProvisioner provisioner,
    IKeyProtector protector,
    IPayloadSigner signer,
    AuditRecorder audit,
    IPrivateKeyGate gate,
    IRequestContext request,
    IOptions<EncryptionOptions> options) : ICommandHandler<Sign, SignatureResult>
{
    /// <inheritdoc />
    public async ValueTask<SignatureResult> Handle(Sign command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!SignatureNames.TryParseFormat(command.Format, out var format) || !SignatureNames.TryParseAlgorithm(command.Algorithm, out var algorithm))
        {
            throw new ArgumentException("The validator lets only known formats and algorithms through.", nameof(command));
        }

        var input = SignedInput.Decode(command.Payload, command.PayloadBase64, command.DigestBase64, options.Value.MaxPlaintextBytes);
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        identity = await provisioner.EnsureLatestCanSignAsync(identity, cancellationToken).ConfigureAwait(false);

        var latest = identity.Keys.Latest;
        var signature = await gate.RunAsync(latest.Size, request.FairShareKey, () => SignWithPrivateKey(identity, latest.Version, input, format, algorithm), cancellationToken).ConfigureAwait(false);

        await audit.RecordAsync(identity.Id, AuditAction.PayloadSigned, AuditOutcome.Success, latest.Version, cancellationToken).ConfigureAwait(false);
        return new SignatureResult(signature, format, algorithm, latest.Version);
    }

    /// <summary>
    /// The one private-key operation of a sign, run inside a slot of the private-key gate, as a
    /// decryption is: unsealing and the RSA operation, nothing that waits.
    /// </summary>
    private string SignWithPrivateKey(Identity identity, int version, SignedInput input, SignatureFormat format, SignatureAlgorithm algorithm)
    {
        var signingKey = identity.Keys.Find(version)!.SigningKey!;
        using var privateKey = protector.Unseal(signingKey.SealedPrivateKey, KeyBinding.ForSigning(identity, version));
        return signer.Sign(input.ToContent(), format, algorithm, privateKey.Pkcs8, identity.SigningKeyIdOf(version));
    }
}
public sealed class SignValidator : AbstractValidator<Sign>
{
    public SignValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x).Custom((command, context) =>
        {
            if (SignedInput.CountGiven(command.Payload, command.PayloadBase64, command.DigestBase64) != 1)
            {
                context.AddFailure("payload", $"Give exactly one of {SignedInput.Fields}.");
            }

            if (command.DigestBase64 is not null && SignatureNames.TryParseFormat(command.Format, out var format) && format == SignatureFormat.Jws)
            {
                context.AddFailure("digestBase64", "A digest can only be signed in the raw format: a JWS carries its payload. Send \"format\": \"raw\", or the payload itself.");
            }
        });
        RuleFor(x => x.DigestBase64).Must(d => d is null || SignedInput.DecodeDigest(d) is not null).WithMessage(SignedInput.DigestRule);
        RuleFor(x => x.Format).Must(f => SignatureNames.TryParseFormat(f, out _))
            .WithMessage($"format must be \"{SignatureNames.Jws}\" or \"{SignatureNames.Raw}\".");
        RuleFor(x => x.Algorithm).Must(a => SignatureNames.TryParseAlgorithm(a, out _))
            .WithMessage("algorithm must be \"PS256\" or \"RS256\".");
    }
}
