using System.Reflection;
using CryptoSecure.Api.Contracts;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using CryptoSecure.Application.Identities.Commands.RegisterIdentity;
using CryptoSecure.Tests.Shared;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>
/// HTTP contracts that carry secrets never print them (records print every member by default).
/// Secrets are found by their [Secret] marks, not by field names; and a secret a use case returns
/// can only land in a contract member that is marked, so a forgotten mark fails here.
/// </summary>
public sealed class ContractRedactionTests
{
    public static TheoryData<Type> ContractsWithSecrets()
    {
        var data = new TheoryData<Type>();
        foreach (var type in SecretProbe.SecretBearingTypes(typeof(ContractMapper).Assembly))
        {
            data.Add(type);
        }

        return data;
    }

    public static TheoryData<string> MappingsOfSecretResults()
    {
        var data = new TheoryData<string>();
        foreach (var mapping in SecretMappings())
        {
            data.Add(mapping.GetParameters()[0].ParameterType.Name);
        }

        return data;
    }

    [Fact]
    public void Requests_and_responses_with_secrets_are_found_by_their_marks()
    {
        var found = ContractsWithSecrets().Cast<object[]>().Select(row => (Type)row[0]).ToList();

        found.Should().Contain([typeof(EncryptRequest), typeof(CiphertextRequest), typeof(PlaintextMessage), typeof(CiphertextMessage), typeof(RegisteredUserResponse), typeof(TakeUserResponse)]);
        found.Should().OnlyContain(t => t.Namespace == typeof(ContractMapper).Namespace, "only contracts carry secrets in the HTTP layer");
        SecretMappings().Select(m => m.GetParameters()[0].ParameterType).Should().Contain([typeof(RegisteredIdentity), typeof(DecryptionResult)]);
    }

    [Theory]
    [MemberData(nameof(ContractsWithSecrets))]
    public void ToString_leaves_out_every_secret_member(Type contract)
    {
        var probe = SecretProbe.Build(contract);

        var text = probe.Instance.ToString()!;

        foreach (var secret in probe.Forbidden)
        {
            text.Should().NotContain(secret, $"{contract.Name}.ToString() must not print its secrets");
        }
    }

    [Theory]
    [MemberData(nameof(MappingsOfSecretResults))]
    public void A_secret_in_a_result_reaches_only_marked_members_of_its_contract(string resultName)
    {
        var mapping = SecretMappings().Single(m => m.GetParameters()[0].ParameterType.Name == resultName);
        var result = SecretProbe.Build(mapping.GetParameters()[0].ParameterType);

        var contract = mapping.Invoke(null, [result.Instance])!;

        var carriers = contract.GetType().GetProperties()
            .Where(p => p.GetValue(contract) is string value && result.Forbidden.Any(value.Contains))
            .ToList();
        carriers.Should().NotBeEmpty($"the secret of {resultName} should reach its contract");
        foreach (var property in carriers)
        {
            SecretProbe.IsSecretMember(contract.GetType(), property.Name).Should().BeTrue(
                $"{contract.GetType().Name}.{property.Name} carries a secret of {resultName}, so it must be marked [Secret]");
        }
    }

    /// <summary>The mapper's public mappings whose source carries a secret.</summary>
    private static IEnumerable<MethodInfo> SecretMappings() =>
        typeof(ContractMapper).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetParameters() is [var source] && SecretProbe.SecretBearingTypes(source.ParameterType.Assembly).Contains(source.ParameterType));
}
