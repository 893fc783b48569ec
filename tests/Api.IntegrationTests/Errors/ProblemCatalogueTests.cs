using System.Reflection;
using CryptoSecure.Api.Errors;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using CryptoSecure.Application;
using CryptoSecure.Application.Common.Exceptions;

namespace CryptoSecure.Api.IntegrationTests.Errors;

/// <summary>The catalogue is complete and agrees with the contract; what the server answers is tested in <see cref="EveryAnswerTests"/>.</summary>
public sealed class ProblemCatalogueTests
{
    /// <summary>Every public static <see cref="Problem"/> of the catalogue, by field name.</summary>
    public static IReadOnlyDictionary<string, Problem> Entries { get; } = typeof(ProblemCatalogue)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Problem))
        .ToDictionary(f => f.Name, f => (Problem)f.GetValue(null)!);

    /// <summary>Every concrete refusal a use case can throw.</summary>
    public static IEnumerable<Type> ClientFacingExceptions { get; } = typeof(ApplicationAssembly).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(ClientFacingException)) && !t.IsAbstract)
        .ToArray();

    [Fact]
    public void The_server_defines_exactly_the_problem_types_the_contract_promises()
    {
        ConstantsOf(typeof(ProblemTypes)).Should().BeEquivalentTo(ConstantsOf(typeof(Problems)));
    }

    [Fact]
    public void Every_entry_is_listed_once_and_every_problem_type_has_an_entry()
    {
        ProblemCatalogue.All.Should().BeEquivalentTo(Entries.Values).And.OnlyHaveUniqueItems();
        ProblemCatalogue.All.Select(p => (p.Type, p.Status, p.Title)).Should().OnlyHaveUniqueItems();
        ProblemCatalogue.All.Select(p => p.Type).Distinct().Should().BeEquivalentTo(ConstantsOf(typeof(ProblemTypes)));
    }

    [Fact]
    public void Every_problem_kind_the_application_names_has_an_entry()
    {
        foreach (var kind in Enum.GetValues<ProblemKind>())
        {
            ProblemCatalogue.All.Should().Contain(ProblemCatalogue.For(kind), kind.ToString());
        }
    }

    [Fact]
    public void The_use_cases_refusals_are_found_by_reflection()
    {
        // Guards the reflection the HTTP tests rely on: it must see the refusals, old and new.
        ClientFacingExceptions.Should().Contain([typeof(IdentityNotFoundException), typeof(DecryptionFailedException), typeof(ServiceBusyException)]);
    }

    [Theory]
    [InlineData(400, "urn:cryptosecure:problem:client-error", "Bad request")]
    [InlineData(404, "urn:cryptosecure:problem:not-found", "Not found")]
    [InlineData(408, "urn:cryptosecure:problem:client-error", "Request Timeout")]
    [InlineData(431, "urn:cryptosecure:problem:client-error", "Request Header Fields Too Large")]
    [InlineData(502, "urn:cryptosecure:problem:internal", "Bad Gateway")]
    public void A_bare_status_gets_its_entry_or_a_client_error_titled_by_its_reason_phrase(int status, string type, string title)
    {
        var problem = ProblemCatalogue.ForStatus(status);

        (problem.Type, problem.Status, problem.Title).Should().Be((type, status, title));
    }

    private static IEnumerable<string> ConstantsOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
}
