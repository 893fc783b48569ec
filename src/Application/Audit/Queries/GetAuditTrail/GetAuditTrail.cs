using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Domain.Audit;
using FluentValidation;
using FluentValidation.Results;
using Mediator;

namespace CryptoSecure.Application.Audit.Queries.GetAuditTrail;

/// <summary>Reads an identity's audit trail, newest first, a page at a time.</summary>
/// <param name="Email">The identity.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page; null for the newest events.</param>
/// <param name="Limit">Page size, 1..200.</param>
/// <param name="Kind">"owner", "public" or "denied" (<see cref="AuditKindNames"/>); null for every kind.</param>
public sealed record GetAuditTrail(string Email, string? Cursor = null, int Limit = GetAuditTrail.DefaultLimit, string? Kind = null) : IQuery<AuditTrailPage>, IOwnerOnly
{
    /// <summary>Page size when none is asked for.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Largest page.</summary>
    public const int MaxLimit = 200;
}

/// <summary>A page of an identity's audit trail.</summary>
/// <param name="Email">The identity.</param>
/// <param name="Events">Newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> (with the same <c>kind</c>) for the next (older) page; null on the last page.</param>
public sealed record AuditTrailPage(string Email, IReadOnlyList<AuditEvent> Events, string? NextCursor);
public sealed class GetAuditTrailHandler(IdentityLookup identities, IAuditTrail trail, IAuditCursors cursors) : IQueryHandler<GetAuditTrail, AuditTrailPage>
{
    private const string NotIssued = "cursor is not one this service issued.";

    /// <inheritdoc />
    public async ValueTask<AuditTrailPage> Handle(GetAuditTrail query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var identity = (await identities.FindAsync(query.Email, cancellationToken).ConfigureAwait(false)).OrNotFound();
        if (!AuditKindNames.TryParse(query.Kind, out var kind))
        {
            throw new ValidationException([new ValidationFailure("kind", GetAuditTrailValidator.UnknownKind)]);
        }

        // A cursor opens only for the identity and kind it was issued for: another identity's cursor
        // (or one for another kind, or a forged one) is refused before the store sees anything.
        AuditPosition? after = null;
        if (query.Cursor is not null)
        {
            after = cursors.Open(identity.Id, kind, query.Cursor) ?? throw CursorRefused();
        }

        AuditPage page;
        try
        {
            page = await trail.ReadAsync(identity.Id, kind, after, query.Limit, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            throw CursorRefused();
        }

        var next = page.Next is null ? null : cursors.Seal(identity.Id, kind, page.Next);
        return new AuditTrailPage(identity.Email.Display, page.Events, next);
    }

    private static ValidationException CursorRefused() => new([new ValidationFailure("cursor", NotIssued)]);
}
public sealed class GetAuditTrailValidator : AbstractValidator<GetAuditTrail>
{
    /// <summary>The answer to a <c>kind</c> that is not one of <see cref="AuditKindNames.All"/>.</summary>
    public const string UnknownKind = "kind must be one of " + AuditKindNames.All + ", or absent for every kind.";
    public GetAuditTrailValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Limit).InclusiveBetween(1, GetAuditTrail.MaxLimit).WithMessage($"limit must lie between 1 and {GetAuditTrail.MaxLimit}.");
        RuleFor(x => x.Cursor).MaximumLength(128).WithMessage("cursor is not one this service issued.");
        RuleFor(x => x.Kind).Must(kind => AuditKindNames.TryParse(kind, out _)).WithMessage(UnknownKind);
    }
}
