using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Validation;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Batch;

/// <summary>
/// The batch as a whole: an identity, between one and <see cref="BatchOptions.MaxItems"/> items,
/// each for that identity. The items themselves are validated one by one when they run, so a bad
/// item fails only itself.
/// </summary>
public abstract class BatchValidator<TBatch, TItem> : AbstractValidator<TBatch>
    where TBatch : IBatch<TItem>
{
    protected BatchValidator(IOptions<BatchOptions> options, Func<TItem, string> emailOf)
    {
        ArgumentNullException.ThrowIfNull(options);
        var max = options.Value.MaxItems;
        RuleFor(x => x.Email).ValidEmail();
        RuleFor(x => x.Items).NotNull().WithMessage("items is required: an array of the single operation's request bodies.")
            .Must(items => items is not { Count: 0 }).WithMessage("items is empty; send at least one.")
            .Must(items => items is null || items.Count <= max).WithMessage($"items holds more than the {max} a batch may carry; split it.")
            .Must((batch, items) => items is null || items.All(i => emailOf(i) == batch.Email)).WithMessage("every item is for the batch's identity.");
    }
}
