using NJsonSchema.Generation;

namespace CryptoSecure.Api.OpenApi;

/// <summary>
/// Marks the non-nullable properties of the API's own contracts as required. The server always
/// writes them, so the typed client gets non-nullable members for them (<c>string Email</c>, not
/// <c>string? Email</c>); properties that may be null or absent stay optional.
/// </summary>
public sealed class RequiredContractPropertiesProcessor : ISchemaProcessor
{
    private const string ContractsNamespace = "CryptoSecure.Api.Contracts";

    /// <inheritdoc />
    public void Process(SchemaProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.Equals(context.ContextualType.Type.Namespace, ContractsNamespace, StringComparison.Ordinal))
        {
            return;
        }

        foreach (var property in context.Schema.Properties.Values)
        {
            if (property.IsNullableRaw != true)
            {
                property.IsRequired = true;
            }
        }
    }
}
