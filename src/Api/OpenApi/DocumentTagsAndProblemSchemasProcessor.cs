using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace CryptoSecure.Api.OpenApi;

/// <summary>
/// Declares the document's tags with their descriptions (<see cref="ApiTags"/>; the prototype's
/// marked as kept for compatibility), and flattens the problem-details schemas: ASP.NET Core's
/// ValidationProblemDetails derives from HttpValidationProblemDetails, and both declare "errors";
/// one level (ValidationProblemDetails extends ProblemDetails with "errors") is what the server
/// writes and what a generated client can model.
/// </summary>
public sealed class DocumentTagsAndProblemSchemasProcessor : IDocumentProcessor
{
    /// <inheritdoc />
    public void Process(DocumentProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DeclareTags(context.Document);
        FlattenValidationProblem(context.Document);
    }

    private static void DeclareTags(OpenApiDocument document)
    {
        document.Tags.Clear();
        foreach (var (name, description) in ApiTags.Descriptions)
        {
            document.Tags.Add(new OpenApiTag { Name = name, Description = description });
        }

        // A controller with a tag not described yet still gets it declared (tests/Client.Tests asks for a description).
        var used = document.Operations.SelectMany(o => o.Operation.Tags ?? []).Distinct(StringComparer.Ordinal);
        foreach (var name in used.Where(n => document.Tags.All(t => t.Name != n)).Order(StringComparer.Ordinal))
        {
            document.Tags.Add(new OpenApiTag { Name = name });
        }
    }

    private static void FlattenValidationProblem(OpenApiDocument document)
    {
        var schemas = document.Components.Schemas;
        if (!schemas.TryGetValue("ValidationProblemDetails", out var validation)
            || !schemas.TryGetValue("ProblemDetails", out var problem)
            || !schemas.TryGetValue("HttpValidationProblemDetails", out var intermediate))
        {
            return;
        }

        foreach (var part in validation.AllOf.Where(p => ReferenceEquals(p.Reference, intermediate)))
        {
            part.Reference = problem;
        }

        foreach (var part in validation.AllOf.Where(p => p.Reference is null))
        {
            // The extension data is ProblemDetails' own; declaring it again gives a client two members for it.
            part.AdditionalPropertiesSchema = null;
        }

        schemas.Remove("HttpValidationProblemDetails");
    }
}
