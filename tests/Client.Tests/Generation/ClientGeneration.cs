using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CryptoSecure.Client.Tests.Infrastructure;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace CryptoSecure.Client.Tests.Generation;

/// <summary>
/// How docs/openapi.json and src/Client/Generated/CryptoSecureClient.g.cs are made from the server's
/// live document. Run by <see cref="GeneratedClientTests"/>, which compares (or, with
/// CRYPTOSECURE_UPDATE_CLIENT=1, writes) them; nothing of this runs in the build.
/// </summary>
public static partial class ClientGeneration
{
    public const string DocumentPath = "docs/openapi.json";

    public const string ClientPath = "src/Client/Generated/CryptoSecureClient.g.cs";

    public const string UpdateVariable = "CRYPTOSECURE_UPDATE_CLIENT";

    public const string UpdateCommand =
        "CRYPTOSECURE_UPDATE_CLIENT=1 dotnet test tests/Client.Tests --filter FullyQualifiedName~GeneratedClient";

    /// <summary>Operations of this tag stay out of the typed client: new .NET code uses v1.</summary>
    public const string PrototypeTag = "Prototype (compatibility)";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    /// <summary>
    /// The served document as committed: pretty-printed with LF line ends. Its "servers" is the
    /// relative "/" (Api:PublicBaseUrl is unset in tests), the same on every host.
    /// </summary>
    public static string NormalizeDocument(string servedJson)
    {
        var document = JsonNode.Parse(servedJson)!.AsObject();
        return document.ToJsonString(Indented) + "\n";
    }

    /// <summary>The typed client's source, from the (normalized) document.</summary>
    public static async Task<string> GenerateClientAsync(string documentJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(WithoutPrototypeOperations(documentJson));
        var generator = new CSharpClientGenerator(document, Settings());
        return NormalizeClient(generator.GenerateFile());
    }

    public static CSharpClientGeneratorSettings Settings()
    {
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "CryptoSecureClient",
            GenerateClientInterfaces = true,
            GenerateClientClasses = true,
            GenerateDtoTypes = true,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            UseBaseUrl = false,
            GenerateBaseUrlProperty = false,
            InjectHttpClient = true,
            DisposeHttpClient = false,
            GenerateSyncMethods = false,
            GenerateOptionalParameters = true,
            GenerateExceptionClasses = true,
            ExceptionClass = "CryptoSecureApiException",
            WrapDtoExceptions = true,
            WrapResponses = false,
            GenerateResponseClasses = false,
            GenerateUpdateJsonSerializerSettingsMethod = true,
            UseRequestAndResponseSerializationSettings = false,
            ExposeJsonSerializerSettings = false,
            ClientClassAccessModifier = "public",
            ClientInterfaceAccessModifier = "public",
        };
        var csharp = settings.CSharpGeneratorSettings;
        csharp.Namespace = "CryptoSecure.Client";
        csharp.JsonLibrary = CSharpJsonLibrary.SystemTextJson;
        csharp.GenerateNullableReferenceTypes = true;
        csharp.GenerateOptionalPropertiesAsNullable = true;
        csharp.GenerateDataAnnotations = false;
        csharp.ClassStyle = CSharpClassStyle.Poco;
        csharp.DateTimeType = "System.DateTimeOffset";
        csharp.ArrayType = "System.Collections.Generic.IReadOnlyList";
        csharp.ArrayInstanceType = "System.Collections.Generic.List";
        csharp.DictionaryType = "System.Collections.Generic.IDictionary";
        csharp.DictionaryInstanceType = "System.Collections.Generic.Dictionary";
        csharp.TypeAccessModifier = "public";
        return settings;
    }

    /// <summary>
    /// LF line ends, no trailing spaces, and the toolchain's version numbers masked in the header
    /// comment, so that the file compares equal across machines and patch releases of the generator.
    /// </summary>
    public static string NormalizeClient(string source)
    {
        var lines = RepositoryFiles.NormalizeLineEndings(source)
            .Split('\n')
            .Select(line => line.TrimEnd())
            .Select(line => line.Contains("Generated using the NSwag toolchain", StringComparison.Ordinal)
                ? "//     Generated using the NSwag toolchain (http://NSwag.org): do not edit; regenerate with " + UpdateCommand
                : line);
        return string.Join('\n', lines).TrimEnd('\n') + "\n";
    }

    /// <summary>Drops the prototype's operations and the schemas only they use.</summary>
    public static string WithoutPrototypeOperations(string documentJson)
    {
        var document = JsonNode.Parse(documentJson)!.AsObject();
        var paths = document["paths"]!.AsObject();
        foreach (var (path, item) in paths.ToList())
        {
            var operations = item!.AsObject();
            foreach (var (method, operation) in operations.ToList())
            {
                if (operation!["tags"]?.AsArray().Any(t => (string?)t == PrototypeTag) == true)
                {
                    operations.Remove(method);
                }
            }

            if (operations.Count == 0)
            {
                paths.Remove(path);
            }
        }

        var tags = document["tags"]?.AsArray();
        if (tags is not null)
        {
            foreach (var tag in tags.Where(t => (string?)t!["name"] == PrototypeTag).ToList())
            {
                tags.Remove(tag);
            }
        }

        var schemas = document["components"]!["schemas"]!.AsObject();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(References(paths.ToJsonString()));
        while (pending.TryDequeue(out var name))
        {
            if (used.Add(name) && schemas[name] is { } schema)
            {
                foreach (var reference in References(schema.ToJsonString()))
                {
                    pending.Enqueue(reference);
                }
            }
        }

        foreach (var name in schemas.Select(s => s.Key).Where(n => !used.Contains(n)).ToList())
        {
            schemas.Remove(name);
        }

        return document.ToJsonString();
    }

    private static IEnumerable<string> References(string json) =>
        SchemaReference().Matches(json).Select(m => m.Groups[1].Value);

    [GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex SchemaReference();
}
