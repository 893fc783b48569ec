using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Keys.Common;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Keys.Queries.GetPublicKeys;

/// <summary>
/// Reads an identity's public keys (every version, PEM and JWK). Public: no credential needed. While
/// the identity's deletion is pending this is the owner's (and an admin's) view of its state, with
/// <c>deletesAt</c>; to everyone else the identity does not exist.
/// </summary>
/// <param name="Email">The address.</param>
public sealed record GetPublicKeys(string Email) : IQuery<KeyRingView>;
public sealed class GetPublicKeysHandler(IKeyStore store, IKeyFormatter formatter, IRequestContext request) : IQueryHandler<GetPublicKeys, KeyRingView>
{
    /// <inheritdoc />
    public async ValueTask<KeyRingView> Handle(GetPublicKeys query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var identity = (await store.FindAsync(EmailAddress.Parse(query.Email), cancellationToken).ConfigureAwait(false)).OrNotFound();
        if (identity.IsPendingDeletion && !IdentityGuards.IsOwnerOrAdmin(request, identity))
        {
            throw new IdentityNotFoundException();
        }

        return KeyRingView.Of(identity, formatter);
    }
}
public sealed class GetPublicKeysValidator : AbstractValidator<GetPublicKeys>
{
    public GetPublicKeysValidator() => RuleFor(x => x.Email).ValidEmail();
}
