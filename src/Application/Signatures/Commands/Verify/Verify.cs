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
using FluentValidation.Results;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Signatures.Commands.Verify;

/// <summary>
/// Checks a signature made with one of the identity's signing keys. Public: no credential needed.
/// A JWS is checked with the key its "kid" names; a raw signature (with the payload or digest it
/// covers) with every version's signing key, latest first. Versions below the minimum decryption
/// version still verify: old signatures stay checkable.
/// </summary>
/// <param name="Email">The identity.</param>
/// <param name="Signature">A JWS compact serialization (no other field; it carries its payload, so it is kept out of logs), or standard base64 of a raw signature.</param>
/// <param name="Payload">For a raw signature: the text signed.</param>
/// <param name="PayloadBase64">For a raw signature: the bytes signed, base64.</param>
/// <param name="DigestBase64">For a raw signature: SHA-256 of the bytes signed, base64 of 32 bytes.</param>
/// <param name="Algorithm">For a raw signature: "PS256" (default) or "RS256"; a JWS names its own.</param>
public sealed record Verify(string Email, [Secret] string? Signature, [Secret] string? Payload = null, [Secret] string? PayloadBase64 = null, string? DigestBase64 = null, string? Algorithm = null)
    : ICommand<VerificationResult>
{
    /// <summary>A raw signature comes with what it covers; a JWS carries its payload.</summary>
    public bool IsRaw => SignedInput.CountGiven(Payload, PayloadBase64, DigestBase64) > 0;

    /// <inheritdoc />
    public override string ToString() => $"Verify {{ Email = {Email}, Format = {(IsRaw ? SignatureNames.Raw : SignatureNames.Jws)} }}";
}

/// <summary>Whether the signature verifies, and with which version's key.</summary>
/// <param name="Valid">True when it verifies.</param>
/// <param name="KeyVersion">The version whose signing key verified it; null when invalid.</param>
public sealed record VerificationResult(bool Valid, int? KeyVersion);
public sealed class VerifyHandler(IKeyStore store, IPayloadSigner signer, AuditRecorder audit, IOptions<EncryptionOptions> options, IRequestContext request)
    : ICommandHandler<Verify, VerificationResult>
{
    /// <inheritdoc />
    public async ValueTask<VerificationResult> Handle(Verify command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!SignatureNames.TryParseAlgorithm(command.Algorithm, out var algorithm))
        {
            throw new ArgumentException("The validator lets only known algorithms through.", nameof(command));
        }

        var input = command.IsRaw ? SignedInput.Decode(command.Payload, command.PayloadBase64, command.DigestBase64, options.Value.MaxPlaintextBytes) : null;
        var identity = (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        var signature = command.Signature!;
        var keyVersion = input is null ? VerifyJws(identity, signature) : VerifyRaw(identity, signature, input, algorithm);

        await audit.RecordAsync(identity.Id, AuditAction.SignatureVerified, keyVersion is null ? AuditOutcome.Failure : AuditOutcome.Success, keyVersion, cancellationToken).ConfigureAwait(false);
        return new VerificationResult(keyVersion is not null, keyVersion);
    }

    private int? VerifyJws(Identity identity, string jws)
    {
        int? named = null;
        var verification = signer.VerifyJws(jws, kid =>
        {
            // Only this identity's signing keys: another identity's kid, an encryption key's kid
            // or an unknown version finds nothing, and the JWS is invalid (ADR-015).
            if (!KeyId.TryParseSigning(kid, out var identityId, out var version) || identityId != identity.Id
                || identity.Keys.Find(version)?.SigningKey is not { } key)
            {
                return null;
            }

            named = version;
            return new SignatureVerificationKey(key.PublicKey);
        });
        return Answer(verification) ? named : null;
    }

    private int? VerifyRaw(Identity identity, string signature, SignedInput input, SignatureAlgorithm algorithm)
    {
        // A raw signature names no key: each version's (a cheap public-key check), latest first,
        // as the likeliest signer. A malformed signature is malformed for every key.
        foreach (var version in identity.Keys.VerificationCandidatesLatestFirst())
        {
            if (Answer(signer.VerifyRaw(signature, input.ToContent(), algorithm, version.SigningKey!.PublicKey)))
            {
                return version.Version;
            }
        }

        return null;
    }

    /// <summary>True when valid, false when invalid; malformed input is the client's error, a 400 saying which rule it broke.</summary>
    private static bool Answer(SignatureVerification verification) => verification.Outcome switch
    {
        SignatureOutcome.Valid => true,
        SignatureOutcome.Invalid => false,
        _ => throw new ValidationException([new ValidationFailure("signature", verification.Problem ?? "signature is not a supported signature.")]),
    };
}
public sealed class VerifyValidator : AbstractValidator<Verify>
{
    /// <summary>Held to the payload limit: a JWS carries its payload, base64url (4/3 of it), plus its header and signature.</summary>
    public VerifyValidator(IOptions<EncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var maxSignatureLength = (options.Value.MaxPlaintextBytes / 3 * 4) + 16_384;
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Signature).NotEmpty().WithMessage("signature is required.")
            .MaximumLength(maxSignatureLength).WithMessage($"signature is longer than the limit of {maxSignatureLength} characters.");
        RuleFor(x => x).Custom((command, context) =>
        {
            if (SignedInput.CountGiven(command.Payload, command.PayloadBase64, command.DigestBase64) > 1)
            {
                context.AddFailure("payload", $"Give at most one of {SignedInput.Fields}: one for a raw signature, none for a JWS (it carries its payload).");
            }

            if (!command.IsRaw && command.Algorithm is not null)
            {
                context.AddFailure("algorithm", "algorithm is for raw signatures only (sent with the payload or digest they cover): a JWS names its own in its header.");
            }
        });
        RuleFor(x => x.DigestBase64).Must(d => d is null || SignedInput.DecodeDigest(d) is not null).WithMessage(SignedInput.DigestRule);
        RuleFor(x => x.Algorithm).Must(a => SignatureNames.TryParseAlgorithm(a, out _))
            .WithMessage("algorithm must be \"PS256\" or \"RS256\".");
    }
}
