using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Signatures.Commands.Sign;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Batch;

/// <summary>Signs each item (owner or admin only, for the whole batch, see <see cref="IOwnerOnly"/>).</summary>
/// <param name="Email">The identity.</param>
/// <param name="Items">The single operations, answered in this order.</param>
public sealed record SignBatch(string Email, IReadOnlyList<Sign>? Items) : ICommand<IReadOnlyList<BatchOutcome<SignatureResult>>>, IBatch<Sign>, IOwnerOnly
{
    /// <inheritdoc />
    public override string ToString() => $"SignBatch {{ Email = {Email}, Items = {Items?.Count} }}";
}

public sealed class SignBatchHandler(IKeyStore store, ISender sender, IRequestContext request) : BatchHandler<SignBatch, Sign, SignatureResult>(store, sender, request);

public sealed class SignBatchValidator(IOptions<BatchOptions> options) : BatchValidator<SignBatch, Sign>(options, item => item.Email);
