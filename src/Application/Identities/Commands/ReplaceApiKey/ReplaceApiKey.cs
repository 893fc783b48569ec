using CryptoSecure.Application.Common.Concurrency;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Application.Common.Security;
using CryptoSecure.Application.Common.Validation;
using CryptoSecure.Application.Identities.Common;
using CryptoSecure.Domain;
using CryptoSecure.Domain.Audit;
using FluentValidation;
using Mediator;

namespace CryptoSecure.Application.Identities.Commands.ReplaceApiKey;

/// <summary>Replaces the owner's API key: the new one is shown once, the old one stops working at once (on other nodes within the coherence bound).</summary>
/// <param name="Email">The address.</param>
public sealed record ReplaceApiKey(string Email) : ICommand<ReplacedApiKey>, IOwnerOnly;

/// <summary>The new API key, shown this once.</summary>
/// <param name="ApiKey">The key.</param>
public sealed record ReplacedApiKey([Secret] string ApiKey)
{
    /// <inheritdoc />
    public override string ToString() => "ReplacedApiKey(redacted)";
}

public sealed class ReplaceApiKeyHandler(IKeyStore store, IdentityLookup identities, IApiKeyIssuer issuer, AuditRecorder audit)
    : ICommandHandler<ReplaceApiKey, ReplacedApiKey>
{
    /// <inheritdoc />
    public async ValueTask<ReplacedApiKey> Handle(ReplaceApiKey command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var identity = await identities.UsableAsync(command.Email, cancellationToken).ConfigureAwait(false);
        var key = issuer.Issue();
        await store.ChangeAsync(
            identity,
            current => new IdentityChange(current.ReplaceApiKey(key.Hash), [audit.Create(current.Id, AuditAction.ApiKeyReplaced, AuditOutcome.Success, null)]),
            cancellationToken).ConfigureAwait(false);
        return new ReplacedApiKey(key.Key);
    }
}

public sealed class ReplaceApiKeyValidator : AbstractValidator<ReplaceApiKey>
{
    public ReplaceApiKeyValidator() => RuleFor(x => x.Email).ValidEmail();
}
