namespace CryptoSecure.Application.Common.Exceptions;

/// <summary>
/// The address had its <c>Registration:MailsPerAddressPerHour</c> mails this hour (429, with
/// Retry-After): the limit protects the mailbox, whatever <c>RateLimiting:Enabled</c> says.
/// </summary>
public sealed class MailLimitReachedException(TimeSpan retryAfter) : ClientFacingException(
    ProblemKind.MailLimit, "This address was sent as many codes as it may get in an hour; try again later.", retryAfter);
