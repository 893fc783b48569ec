namespace CryptoSecure.Application.Common.Ports;

/// <summary>The window <c>Registration:MailsPerAddressPerHour</c> counts in.</summary>
public static class MailWindow
{
    /// <summary>One hour, opened by the first mail of the window.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromHours(1);
}
