using CryptoSecure.Api.Contracts;

namespace CryptoSecure.Api.IntegrationTests;

/// <summary>HTTP contracts that carry secrets never print them (records print every member by default).</summary>
public sealed class ContractRedactionTests
{
    private static readonly string[] Secret = ["apiKey", "privateKeyPem", "privateKey", "plaintext", "plaintextBase64", "ciphertext"];

    public static TheoryData<Type> ContractsWithSecrets()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(ContractMapper).Assembly.GetTypes()
                     .Where(t => t.Namespace == typeof(ContractMapper).Namespace && t.GetConstructors().Length == 1)
                     .Where(t => t.GetConstructors()[0].GetParameters().Any(p => Secret.Contains(p.Name, StringComparer.OrdinalIgnoreCase))))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void The_contracts_that_carry_secrets_are_all_found()
    {
        ContractsWithSecrets().Cast<object[]>().Select(row => ((Type)row[0]).Name).Should().Contain(
            ["RegisteredUserResponse", "PrivateKeyResponse", "EncryptRequest", "DecryptResponse", "CiphertextRequest", "CiphertextResponse", "TakeUserResponse", "GetKeysResponse", "PlaintextMessage", "CiphertextMessage"]);
    }

    [Theory]
    [MemberData(nameof(ContractsWithSecrets))]
    public void ToString_leaves_out_every_secret_member(Type contract)
    {
        var constructor = contract.GetConstructors()[0];
        var arguments = constructor.GetParameters()
            .Select(p => p.ParameterType == typeof(string) ? (object)$"SECRET-{p.Name}-VALUE" : DefaultOf(p.ParameterType))
            .ToArray();

        var text = constructor.Invoke(arguments).ToString()!;

        foreach (var parameter in constructor.GetParameters().Where(p => Secret.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
        {
            text.Should().NotContain($"SECRET-{parameter.Name}-VALUE", $"{contract.Name}.ToString() must not print {parameter.Name}");
        }
    }

    private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;
}
