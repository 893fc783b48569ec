using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Common.Behaviours;

/// <summary>
/// Runs every FluentValidation validator of the message before its handler; failures become one
/// <see cref="ValidationException"/> (answered as 400 with an "errors" map).
/// </summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators.ToArray();

    /// <inheritdoc />
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_validators.Length > 0)
        {
            var failures = new List<FluentValidation.Results.ValidationFailure>();
            foreach (var validator in _validators)
            {
                // A context per validator: a result's Errors is its context's failure list, so a
                // shared context would report earlier validators' failures again.
                var result = await validator.ValidateAsync(new ValidationContext<TMessage>(message), cancellationToken).ConfigureAwait(false);
                failures.AddRange(result.Errors);
            }

            if (failures.Count > 0)
            {
                throw new ValidationException(failures);
            }
        }

        return await next(message, cancellationToken).ConfigureAwait(false);
    }
}
