using CryptoSecure.Api.Contracts;
using CryptoSecure.Application.Common.Exceptions;
using FluentValidation;

namespace CryptoSecure.Api.Errors;

/// <summary>
/// A batch item's refusal as the error the single route would have answered with, from the same
/// <see cref="ProblemCatalogue"/> entries: a decryption failure is the one uniform answer, a busy
/// private-key gate a 503, invalid input a 400 whose detail carries every message (a batch item
/// has no per-field map).
/// </summary>
public static class BatchItemErrors
{
    /// <summary>The error for <paramref name="refusal"/>, a <see cref="ValidationException"/> or <see cref="ClientFacingException"/>.</summary>
    public static BatchItemError Of(Exception refusal)
    {
        var answer = refusal switch
        {
            ValidationException validation => ProblemCatalogue.Validation.With(string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct())),
            ClientFacingException clientFacing => ProblemCatalogue.For(clientFacing.Kind).With(clientFacing.Message),
            _ => throw new ArgumentException("Only refusals meant for the client become item errors.", nameof(refusal)),
        };
        return new BatchItemError(answer.Problem.Type, answer.Problem.Title, answer.Status, answer.Detail);
    }
}
