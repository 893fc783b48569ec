using CryptoSecure.Client.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CryptoSecure.Client.Tests;

/// <summary>
/// The "Use from .NET" examples of the READMEs are the code below, compiled and run here: the
/// README must show the lines between the "begin/end README" markers verbatim (less their indentation).
/// </summary>
public sealed class ReadmeExampleTests
{
    private const string ThisFile = "tests/Client.Tests/ReadmeExampleTests.cs";
    private const string ClientReadme = "src/Client/README.md";
    private const string RootReadme = "README.md";

    [Fact]
    public async Task The_README_example_registers_encrypts_and_decrypts()
    {
        using var server = new CryptoSecureServer();
        using var http = server.CreateClient();

        var plaintext = await RegisterEncryptDecryptAsync(http);

        plaintext.Should().Be("Hello, Alice");
    }

    [Fact]
    public async Task The_README_registration_example_gives_a_typed_client_that_sends_the_api_key()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CryptoSecure:ApiKey"] = "csk_example" })
            .Build();

        Register(services, configuration);

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ICryptoSecureClient>().Should().BeOfType<CryptoSecureClient>();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ICryptoSecureClient));
        http.BaseAddress.Should().Be(new Uri("https://cryptosecure.example/"));
        http.DefaultRequestHeaders.Authorization!.ToString().Should().Be("Bearer csk_example");
    }

    [Theory]
    [InlineData("usage")]
    [InlineData("registration")]
    public void The_client_README_shows_the_compiled_example(string name)
    {
        var readme = RepositoryFiles.ReadNormalized(ClientReadme);

        readme.Should().Contain(Snippet(name), $"{ClientReadme} shows the {name} example compiled in {ThisFile}; copy it from there");
    }

    [Theory]
    [InlineData("usage", "new CryptoSecureClient(")]
    [InlineData("registration", "AddCryptoSecureClient(")]
    public void The_root_README_shows_the_compiled_example_where_it_shows_client_code(string name, string marker)
    {
        var readme = RepositoryFiles.ReadNormalized(RootReadme);
        if (!readme.Contains(marker, StringComparison.Ordinal))
        {
            return;
        }

        readme.Should().Contain(Snippet(name), $"{RootReadme} shows the {name} example compiled in {ThisFile}; copy it from there");
    }

    private static async Task<string?> RegisterEncryptDecryptAsync(HttpClient http)
    {
        // begin README usage
        var client = new CryptoSecureClient(http);
        var alice = await client.RegisterUserAsync(new RegisterUserRequest { Email = "alice@example.com" });
        var sealedText = await client.EncryptAsync(alice.Email, new EncryptRequest { Plaintext = "Hello, Alice" });
        client.ApiKey = alice.ApiKey; // decrypting (an owner operation) needs the identity's API key
        var opened = await client.DecryptAsync(alice.Email, new CiphertextRequest { Ciphertext = sealedText.Ciphertext });
        // end README usage
        return opened.Plaintext;
    }

    private static void Register(IServiceCollection services, IConfiguration configuration)
    {
        // begin README registration
        services.AddCryptoSecureClient(new Uri("https://cryptosecure.example/"), configuration["CryptoSecure:ApiKey"]);
        // end README registration
    }

    private static string Snippet(string name)
    {
        var lines = RepositoryFiles.ReadNormalized(ThisFile).Split('\n');
        var begin = Array.FindIndex(lines, l => l.Trim() == $"// begin README {name}");
        var end = Array.FindIndex(lines, l => l.Trim() == $"// end README {name}");
        (begin >= 0 && end > begin).Should().BeTrue($"{ThisFile} marks the {name} example");
        var body = lines[(begin + 1)..end];
        var indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())) + "\n";
    }
}
