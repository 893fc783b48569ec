using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Encryption.Commands.Encrypt;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Batch;

/// <summary>Encrypts each item to the identity, as many single encryptions. Public.</summary>
/// <param name="Email">The identity.</param>
/// <param name="Items">The single operations, answered in this order.</param>
public sealed record EncryptBatch(string Email, IReadOnlyList<Encrypt>? Items) : ICommand<IReadOnlyList<BatchOutcome<EncryptionResult>>>, IBatch<Encrypt>
{
    /// <inheritdoc />
    public override string ToString() => $"EncryptBatch {{ Email = {Email}, Items = {Items?.Count} }}";
}

public sealed class EncryptBatchHandler(IKeyStore store, ISender sender, IRequestContext request) : BatchHandler<EncryptBatch, Encrypt, EncryptionResult>(store, sender, request);

public sealed class EncryptBatchValidator(IOptions<BatchOptions> options) : BatchValidator<EncryptBatch, Encrypt>(options, item => item.Email);
