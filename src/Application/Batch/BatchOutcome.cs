using CryptoSecure.Application.Common.Exceptions;
using FluentValidation;

namespace CryptoSecure.Application.Batch;

/// <summary>One item's end: its result, or the refusal the single operation would have answered with.</summary>
/// <param name="Result">The single operation's result; null when refused.</param>
/// <param name="Refusal">A <see cref="ValidationException"/> or <see cref="ClientFacingException"/>; null on success.</param>
public sealed record BatchOutcome<TResult>(TResult? Result, Exception? Refusal)
    where TResult : class;

/// <summary>A batch of single operations for one identity, answered item by item in order.</summary>
/// <typeparam name="TItem">The single operation's message.</typeparam>
public interface IBatch<out TItem>
{
    /// <summary>The identity every item is for.</summary>
    string Email { get; }

    /// <summary>The items; null when the request had none (a validation error).</summary>
    IReadOnlyList<TItem>? Items { get; }
}
