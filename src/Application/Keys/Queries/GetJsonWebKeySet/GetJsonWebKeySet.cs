using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Keys.Queries.GetJsonWebKeySet;

/// <summary>
/// Reads an identity's JWK Set (RFC 7517 §5): the encryption keys of the versions still allowed to
/// decrypt (a JOSE library encrypting to an older one would make a ciphertext that no longer opens)
/// and the signing key of every version that has one (old signatures stay checkable). Public.
/// </summary>
/// <param name="Email">The address.</param>
public sealed record GetJsonWebKeySet(string Email) : IQuery<JsonWebKeySetView>;

/// <summary>The keys of a JWK Set, latest version first within each purpose, encryption keys first.</summary>
/// <param name="Keys">The keys.</param>
public sealed record JsonWebKeySetView(IReadOnlyList<PublicJsonWebKey> Keys);
public sealed class GetJsonWebKeySetHandler(IKeyStore store, IKeyFormatter formatter, IRequestContext request) : IQueryHandler<GetJsonWebKeySet, JsonWebKeySetView>
{
    /// <inheritdoc />
    public async ValueTask<JsonWebKeySetView> Handle(GetJsonWebKeySet query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var identity = (await store.FindAsync(EmailAddress.Parse(query.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        var ring = identity.Keys;

        // Latest first: libraries that take the first key matching "use" and "alg" pick the one
        // the service itself would use.
        var encryption = ring.DecryptionCandidatesLatestFirst().Select(v => formatter.PublicJwk(v.PublicKey, identity.KeyIdOf(v.Version)));
        var signing = ring.VerificationCandidatesLatestFirst().Select(v => formatter.SigningJwk(v.SigningKey!.PublicKey, identity.SigningKeyIdOf(v.Version)));
        return new JsonWebKeySetView([.. encryption, .. signing]);
    }
}
public sealed class GetJsonWebKeySetValidator : AbstractValidator<GetJsonWebKeySet>
{
    public GetJsonWebKeySetValidator() => RuleFor(x => x.Email).ValidEmail();
}
