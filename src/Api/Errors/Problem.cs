namespace CryptoSecure.Api.Errors;

/// <summary>
/// One kind of error answer: its problem type, status and fixed title. Only
/// <see cref="ProblemCatalogue"/> makes them, so the answers a client can get are listed in one file.
/// </summary>
public sealed record Problem
{
    internal Problem(string type, int status, string title)
    {
        Type = type;
        Status = status;
        Title = title;
    }

    /// <summary>The problem type (one of <see cref="ProblemTypes"/>).</summary>
    public string Type { get; }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The short, fixed summary.</summary>
    public string Title { get; }

    /// <summary>This answer with the explanation for this case.</summary>
    /// <param name="detail">For the client; never internals.</param>
    /// <param name="errors">Field errors (validation only), camelCase field names.</param>
    public ErrorAnswer With(string? detail, IDictionary<string, string[]>? errors = null) => new(this, detail, errors);
}
