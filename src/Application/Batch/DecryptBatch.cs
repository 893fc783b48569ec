using CryptoSecure.Application.Common.Options;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Encryption.Commands.Decrypt;
using Mediator;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Batch;

/// <summary>Decrypts each item (owner or admin only, for the whole batch, see <see cref="IOwnerOnly"/>).</summary>
/// <param name="Email">The identity.</param>
/// <param name="Items">The single operations, answered in this order.</param>
public sealed record DecryptBatch(string Email, IReadOnlyList<Decrypt>? Items) : ICommand<IReadOnlyList<BatchOutcome<DecryptionResult>>>, IBatch<Decrypt>, IOwnerOnly
{
    /// <inheritdoc />
    public override string ToString() => $"DecryptBatch {{ Email = {Email}, Items = {Items?.Count} }}";
}

public sealed class DecryptBatchHandler(IKeyStore store, ISender sender, IRequestContext request) : BatchHandler<DecryptBatch, Decrypt, DecryptionResult>(store, sender, request);

public sealed class DecryptBatchValidator(IOptions<BatchOptions> options) : BatchValidator<DecryptBatch, Decrypt>(options, item => item.Email);
