namespace CryptoSecure.Domain.Identities;

/// <summary>A registration code was asked for, or entered, for an identity whose address is already verified.</summary>
public sealed class AlreadyVerifiedException() : DomainRuleException("The address of this identity is already verified.");
