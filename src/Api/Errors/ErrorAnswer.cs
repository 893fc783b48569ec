using CryptoSecure.Api.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace CryptoSecure.Api.Errors;

/// <summary>One error answer, in whichever shape the endpoint speaks.</summary>
/// <param name="Problem">Which answer of the <see cref="ProblemCatalogue"/> it is.</param>
/// <param name="Detail">Explanation for the client; never internals.</param>
/// <param name="Errors">Field errors (validation only), camelCase field names.</param>
public sealed record ErrorAnswer(Problem Problem, string? Detail, IDictionary<string, string[]>? Errors = null)
{
    /// <summary>HTTP status.</summary>
    public int Status => Problem.Status;

    /// <summary>The RFC 9457 body.</summary>
    public ProblemDetails ToProblemDetails()
    {
        var problem = Errors is null ? new ProblemDetails() : new ValidationProblemDetails(Errors);
        problem.Status = Problem.Status;
        problem.Type = Problem.Type;
        problem.Title = Problem.Title;
        problem.Detail = Detail;
        return problem;
    }

    /// <summary>The prototype's body.</summary>
    public PrototypeError ToPrototypeError()
    {
        var message = Detail ?? Problem.Title;
        if (Errors is { Count: > 0 })
        {
            message = string.Join(" ", Errors.SelectMany(e => e.Value));
        }

        return new PrototypeError(message);
    }
}
