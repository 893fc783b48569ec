namespace CryptoSecure.Domain.Identities;

/// <summary>
/// A one-time code that is not the one waited for: wrong, expired, used up by too many wrong
/// entries, or never sent. One message for every cause, so the answer tells a guesser nothing.
/// </summary>
public sealed class WrongCodeException() : DomainRuleException("The code is wrong or no longer valid; ask for a new one if it expired or was entered wrongly too often.");
