using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Domain.Audit;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using FluentValidation.Results;
using Mediator;

namespace CryptoSecure.Application.Audit.Queries.GetAuditTrail;

/// <summary>Reads an identity's audit trail, newest first, a page at a time.</summary>
/// <param name="Email">The identity.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page; null for the newest events.</param>
/// <param name="Limit">Page size, 1..200.</param>
public sealed record GetAuditTrail(string Email, string? Cursor = null, int Limit = GetAuditTrail.DefaultLimit) : IQuery<AuditTrailPage>
{
    /// <summary>Page size when none is asked for.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Largest page.</summary>
    public const int MaxLimit = 200;
}

/// <summary>A page of an identity's audit trail.</summary>
/// <param name="Email">The identity.</param>
/// <param name="Events">Newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next (older) page; null on the last page.</param>
public sealed record AuditTrailPage(string Email, IReadOnlyList<AuditEvent> Events, string? NextCursor);

/// <summary>Handles <see cref="GetAuditTrail"/>.</summary>
public sealed class GetAuditTrailHandler(IKeyStore store, IAuditTrail trail) : IQueryHandler<GetAuditTrail, AuditTrailPage>
{
    /// <inheritdoc />
    public async ValueTask<AuditTrailPage> Handle(GetAuditTrail query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var identity = (await store.FindAsync(EmailAddress.Parse(query.Email), cancellationToken).ConfigureAwait(false)).OrNotFound();
        AuditPage page;
        try
        {
            page = await trail.ReadAsync(identity.Id, query.Cursor, query.Limit, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            throw new ValidationException([new ValidationFailure("cursor", "cursor is not one this service issued.")]);
        }

        return new AuditTrailPage(identity.Email.Display, page.Events, page.NextCursor);
    }
}

/// <summary>Validates <see cref="GetAuditTrail"/>.</summary>
public sealed class GetAuditTrailValidator : AbstractValidator<GetAuditTrail>
{
    /// <summary>Defines the rules.</summary>
    public GetAuditTrailValidator()
    {
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Limit).InclusiveBetween(1, GetAuditTrail.MaxLimit).WithMessage($"limit must lie between 1 and {GetAuditTrail.MaxLimit}.");
        RuleFor(x => x.Cursor).MaximumLength(128).WithMessage("cursor is not one this service issued.");
    }
}
