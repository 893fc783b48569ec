namespace CryptoSecure.Domain;

/// <summary>
/// A change the aggregate refuses because it would break one of its rules, as a client could ask
/// for it (not a programming error, which stays an <see cref="ArgumentException"/>). The
/// application decides how each one is answered; the message never holds a secret.
/// </summary>
public abstract class DomainRuleException(string message) : Exception(message);
