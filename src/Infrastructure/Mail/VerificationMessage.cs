using System.Globalization;
using System.Net;
using System.Text;
using CryptoSecure.Application.Common.Mail;
using MimeKit;

namespace CryptoSecure.Infrastructure.Mail;

/// <summary>
/// The mail that carries a one-time code: a plain-text part with the code on a line of its own
/// (<c>Code: &lt;code&gt;</c>), when it expires and what to do if it was not asked for, and the same
/// in an HTML part.
/// </summary>
internal static class VerificationMessage
{
    /// <summary>The From used with a pickup directory when <c>Email:From</c> is unset.</summary>
    public const string DefaultPickupFrom = "CryptoSecure <cryptosecure@localhost>";

    public static bool TryParseFrom(string text, out MailboxAddress? from)
    {
        from = null;
        if (!MailboxAddress.TryParse(ParserOptions.Default, text, out var parsed) || string.IsNullOrEmpty(parsed.Address) || !parsed.Address.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        from = parsed;
        return true;
    }

    public static string Subject(VerificationPurpose purpose) => purpose switch
    {
        VerificationPurpose.Recovery => "Your CryptoSecure recovery code",
        _ => "Your CryptoSecure verification code",
    };

    /// <summary>Builds the mail for <paramref name="mail"/>.</summary>
    public static MimeMessage Build(VerificationMail mail, MailboxAddress from, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(string.Empty, mail.To.Display));
        message.Subject = Subject(mail.Purpose);
        message.Date = now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(from.Domain);
        var lines = Lines(mail);
        var body = new BodyBuilder
        {
            TextBody = string.Join("\r\n", lines) + "\r\n",
            HtmlBody = Html(lines, mail.Code),
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The text part's lines; the code stands alone on its <c>Code: </c> line.</summary>
    private static string[] Lines(VerificationMail mail)
    {
        var expires = mail.ExpiresAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var (why, ignore) = mail.Purpose switch
        {
            VerificationPurpose.Recovery => (
                $"Someone asked to recover the CryptoSecure identity {mail.To.Display}. This code gives control of that identity's API key: " +
                "whoever enters it gets a new API key for it, and the old key stops working. Never share it.",
                "If you did not ask for this, ignore this mail: nothing changes unless the code is entered."),
            _ => (
                $"Someone registered {mail.To.Display} with CryptoSecure. Enter this code with the registration's API key to prove the address is yours.",
                "If you did not ask for this, ignore this mail: the registration is not usable without the code and is removed when it expires."),
        };
        return
        [
            why,
            string.Empty,
            $"Code: {mail.Code}",
            string.Empty,
            $"The code expires at {expires}.",
            ignore,
        ];
    }

    private static string Html(string[] lines, string code)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            html.Append(line.StartsWith("Code: ", StringComparison.Ordinal)
                ? $"<p>Code: <strong style=\"font-family:monospace\">{WebUtility.HtmlEncode(code)}</strong></p>"
                : $"<p>{WebUtility.HtmlEncode(line)}</p>");
        }

        return html.Append("</body></html>").ToString();
    }
}
