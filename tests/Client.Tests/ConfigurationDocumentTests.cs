using System.Reflection;
using System.Text.Json.Nodes;
using CryptoSecure.Client.Tests.Infrastructure;

namespace CryptoSecure.Client.Tests;

/// <summary>
/// docs/configuration.md lists every setting, and appsettings.json holds every section the server
/// reads, so an operator finds a setting where they look for it.
/// </summary>
public sealed class ConfigurationDocumentTests
{
    private static readonly string Document = RepositoryFiles.ReadNormalized("docs/configuration.md");

    public static TheoryData<string> Sections()
    {
        var data = new TheoryData<string>();
        foreach (var assembly in new[] { typeof(Program).Assembly, typeof(CryptoSecure.Application.ApplicationAssembly).Assembly, typeof(CryptoSecure.Infrastructure.DependencyInjection).Assembly })
        {
            foreach (var type in assembly.GetTypes())
            {
                if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
                {
                    data.Add((string)field.GetRawConstantValue()!);
                }
            }
        }

        return data;
    }

    public static TheoryData<string> AppSettingsKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in Leaves(AppSettings(), prefix: null))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Every_options_section_is_in_appsettings_json_and_documented(string section)
    {
        section.Split(':').Aggregate((JsonNode?)AppSettings(), (node, name) => node?[name])
            .Should().NotBeNull($"appsettings.json should hold the \"{section}\" section");
        Document.Should().Contain($"`{section}:", $"docs/configuration.md should document the {section} settings");
    }

    [Theory]
    [MemberData(nameof(AppSettingsKeys))]
    public void Every_setting_in_appsettings_json_is_documented(string key)
    {
        // "RateLimiting:Public:PermitLimit" is documented as "`RateLimiting:Public:PermitLimit` / `WindowSeconds`".
        var documented = Document.Contains($"`{key}`", StringComparison.Ordinal)
            || (key.LastIndexOf(':') is var last and > 0 && Document.Contains($"`{key[..last]}:", StringComparison.Ordinal) && Document.Contains($"`{key[(last + 1)..]}`", StringComparison.Ordinal));
        documented.Should().BeTrue($"docs/configuration.md should list {key}");
    }

    private static JsonObject AppSettings() =>
        JsonNode.Parse(RepositoryFiles.ReadNormalized("src/Api/appsettings.json"))!.AsObject();

    private static IEnumerable<string> Leaves(JsonNode node, string? prefix)
    {
        if (node is JsonObject obj)
        {
            // An empty section ("Api": {}) only says the section exists; its settings are unset by default.
            return obj.SelectMany(p => Leaves(p.Value!, prefix is null ? p.Key : $"{prefix}:{p.Key}"));
        }

        return prefix is null || prefix.StartsWith("Logging:", StringComparison.Ordinal) ? [] : [prefix];
    }
}
