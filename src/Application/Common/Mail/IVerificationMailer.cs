namespace CryptoSecure.Application.Common.Mail;

/// <summary>
/// Sends one-time codes to an address, off the request path: <see cref="Enqueue"/> returns at once and
/// never throws for a delivery problem; the sender retries with backoff until the code expires. A code
/// lost to a crash before it was sent is not re-sent (only its hash is stored): its owner asks for a
/// new one, and the registration itself is never lost.
/// </summary>
public interface IVerificationMailer
{
    /// <summary>Queues the mail. Its text part holds the code on a line of its own: <c>Code: &lt;code&gt;</c>.</summary>
    void Enqueue(VerificationMail mail);
}
