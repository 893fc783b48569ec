using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Signatures.Commands.Verify;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Batch;

/// <summary>Verifies each item's signature, as many single verifications. Public.</summary>
/// <param name="Email">The identity.</param>
/// <param name="Items">The single operations, answered in this order.</param>
public sealed record VerifyBatch(string Email, IReadOnlyList<Verify>? Items) : ICommand<IReadOnlyList<BatchOutcome<VerificationResult>>>, IBatch<Verify>
{
    /// <inheritdoc />
    public override string ToString() => $"VerifyBatch {{ Email = {Email}, Items = {Items?.Count} }}";
}

public sealed class VerifyBatchHandler(IKeyStore store, ISender sender, IRequestContext request) : BatchHandler<VerifyBatch, Verify, VerificationResult>(store, sender, request);

public sealed class VerifyBatchValidator(IOptions<BatchOptions> options) : BatchValidator<VerifyBatch, Verify>(options, item => item.Email);
