using System.Text.Json;

namespace CryptoSecure.Client;

/// <summary>
/// Every failed call throws this one type (the generated <see cref="CryptoSecureApiException{TResult}"/>
/// derives from it): <see cref="CryptoSecureApiException.StatusCode"/> and the server's RFC 9457
/// answer in <see cref="Problem"/>, with the field errors of a validation failure in <see cref="ValidationErrors"/>.
/// </summary>
public partial class CryptoSecureApiException
{
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoErrors = new Dictionary<string, IReadOnlyList<string>>();

    private ProblemDetails? _problem;
    private bool _problemRead;

    /// <summary>
    /// The problem details the server answered with (a <see cref="ValidationProblemDetails"/> for
    /// invalid input), or null when the answer was not one (a proxy's error page, for instance).
    /// </summary>
    public ProblemDetails? Problem
    {
        get
        {
            if (!_problemRead)
            {
                _problem = TypedProblem ?? ParseProblem(Response, Headers);
                _problemRead = true;
            }

            return _problem;
        }
    }

    /// <summary>The field errors of a validation failure (camelCase field name → messages); empty otherwise.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ValidationErrors
    {
        get
        {
            if (Problem is ValidationProblemDetails { Errors: { } errors })
            {
                return errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            }

            // Operations whose 400 is documented as plain ProblemDetails keep "errors" as extension data.
            if (Problem?.AdditionalProperties.TryGetValue("errors", out var value) == true && value is JsonElement { ValueKind: JsonValueKind.Object } element)
            {
                return element.Deserialize<Dictionary<string, List<string>>>(ProblemJson)?
                    .ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.Ordinal) ?? NoErrors;
            }

            return NoErrors;
        }
    }

    /// <summary>The problem details the generated code already read for a documented status.</summary>
    protected virtual ProblemDetails? TypedProblem => null;

    private static ProblemDetails? ParseProblem(string? response, IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        var contentType = headers is not null && headers.TryGetValue("Content-Type", out var values) ? string.Join(",", values) : string.Empty;
        if (string.IsNullOrWhiteSpace(response) || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(response);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return document.RootElement.TryGetProperty("errors", out _)
                ? document.RootElement.Deserialize<ValidationProblemDetails>(ProblemJson)
                : document.RootElement.Deserialize<ProblemDetails>(ProblemJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A failed call whose answer the generated code read as <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">The documented body type of the status (ProblemDetails or ValidationProblemDetails).</typeparam>
public partial class CryptoSecureApiException<TResult>
{
    /// <inheritdoc />
    protected override ProblemDetails? TypedProblem => Result as ProblemDetails;
}
