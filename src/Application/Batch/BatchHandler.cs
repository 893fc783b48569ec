using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Identities;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Batch;

/// <summary>
/// Runs each item as the single operation it is, through the mediator: each is validated,
/// owner-checked, gated for its private key and audited exactly as when sent alone, so a batch
/// can do nothing a series of single requests could not, and one item's refusal is that item's
/// answer only. Items run one after another: the scoped store and audit recorder are not shared
/// across threads, and the private-key gate, not the batch, decides how much runs at once.
/// </summary>
public abstract class BatchHandler<TBatch, TItem, TResult>(IKeyStore store, ISender sender, IRequestContext request)
    : ICommandHandler<TBatch, IReadOnlyList<BatchOutcome<TResult>>>
    where TBatch : IBatch<TItem>, ICommand<IReadOnlyList<BatchOutcome<TResult>>>
    where TItem : ICommand<TResult>
    where TResult : class
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BatchOutcome<TResult>>> Handle(TBatch command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var items = command.Items ?? throw new ArgumentException("The validator lets only batches with items through.", nameof(command));

        // An unknown (or, to the public, a pending-deletion) identity is the whole request's 404, as for
        // the single route, not a 404 per item; its owner gets the single route's 409.
        (await store.FindAsync(EmailAddress.Parse(command.Email), cancellationToken).ConfigureAwait(false)).UsableBy(request);
        var outcomes = new List<BatchOutcome<TResult>>(items.Count);
        foreach (var item in items)
        {
            try
            {
                outcomes.Add(new(await sender.Send(item, cancellationToken).ConfigureAwait(false), null));
            }
            catch (Exception refusal) when (refusal is ValidationException or ClientFacingException)
            {
                // Anything else (the store down, a bug, cancellation) is the server's failure and fails the whole request.
                outcomes.Add(new(null, refusal));
            }
        }

        return outcomes;
    }
}
