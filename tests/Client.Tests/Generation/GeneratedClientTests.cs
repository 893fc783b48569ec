using CryptoSecure.Client.Tests.Infrastructure;

namespace CryptoSecure.Client.Tests.Generation;

/// <summary>
/// The committed OpenAPI document and typed client are what the server produces now: a route or
/// contract change without regenerating them fails here. Regenerate with
/// <c>CRYPTOSECURE_UPDATE_CLIENT=1 dotnet test tests/Client.Tests --filter FullyQualifiedName~GeneratedClient</c>.
/// </summary>
public sealed class GeneratedClientTests(CryptoSecureServer server) : IClassFixture<CryptoSecureServer>
{
    [Fact]
    public async Task GeneratedClient_openapi_document_matches_docs_openapi_json()
    {
        var document = ClientGeneration.NormalizeDocument(await ServedDocumentAsync());

        CompareOrUpdate(ClientGeneration.DocumentPath, document);
    }

    [Fact]
    public async Task GeneratedClient_source_matches_the_committed_file()
    {
        var document = ClientGeneration.NormalizeDocument(await ServedDocumentAsync());
        var client = await ClientGeneration.GenerateClientAsync(document);

        CompareOrUpdate(ClientGeneration.ClientPath, client);
    }

    [Fact]
    public async Task GeneratedClient_generation_is_deterministic()
    {
        var document = ClientGeneration.NormalizeDocument(await ServedDocumentAsync());

        ClientGeneration.NormalizeDocument(await ServedDocumentAsync()).Should().Be(document);
        (await ClientGeneration.GenerateClientAsync(document)).Should().Be(await ClientGeneration.GenerateClientAsync(document));
    }

    private async Task<string> ServedDocumentAsync()
    {
        using var http = server.CreateClient();
        return await http.GetStringAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));
    }

    private static void CompareOrUpdate(string relativePath, string expected)
    {
        if (ClientGeneration.UpdateRequested)
        {
            var path = RepositoryFiles.PathOf(relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
            return;
        }

        var committed = RepositoryFiles.ReadNormalized(relativePath);
        if (committed != expected)
        {
            Assert.Fail(
                $"{relativePath} is not what the server produces now{FirstDifference(committed, expected)}. " +
                $"If the API change is intended, regenerate and commit it: {ClientGeneration.UpdateCommand}");
        }
    }

    private static string FirstDifference(string committed, string expected)
    {
        if (committed.Length == 0)
        {
            return " (the file is missing or empty)";
        }

        var a = committed.Split('\n');
        var b = expected.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < b.Length ? b[i] : "<end of file>";
            if (left != right)
            {
                return $" (first difference at line {i + 1}: committed \"{left.Trim()}\", generated \"{right.Trim()}\")";
            }
        }

        return string.Empty;
    }
}
