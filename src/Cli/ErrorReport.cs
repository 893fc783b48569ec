using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CryptoSecure.Client;

namespace CryptoSecure.Cli;

/// <summary>
/// Turns a failure into its exit code and one message that says what went wrong and what to do:
/// the server's problem title and detail (and field errors) for an API error, never a stack
/// trace, a request body or an API key.
/// </summary>
internal static class ErrorReport
{
    public static (int ExitCode, string Message) Describe(Exception failure, Uri server) => failure switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        CryptoSecureApiException api => FromApi(api),
        HttpRequestException http => (ExitCodes.Transport, $"Cannot reach the server at {Credentials.Normalize(server)} ({TransportReason(http)}). Is it running? Set --server or CRYPTOSECURE_URL (default {GlobalOptions.DefaultServer})."),
        TaskCanceledException or TimeoutException => (ExitCodes.Transport, $"The server at {Credentials.Normalize(server)} did not answer in time. Try again, or check the server."),
        CryptographicException => (ExitCodes.InvalidInput, "The data could not be decrypted: it is damaged, truncated, reordered or not for this key."),
        UnauthorizedAccessException => (ExitCodes.InvalidInput, "Permission denied on a local file."),
        IOException io => (ExitCodes.InvalidInput, $"Input/output error: {io.Message}"),
        _ => (ExitCodes.Internal, $"Internal error in cryptosecure ({failure.GetType().Name}). Please report it, with the command you ran (without any API key)."),
    };

    private static (int, string) FromApi(CryptoSecureApiException api)
    {
        var status = api.StatusCode;
        var problem = api.Problem;
        var message = new StringBuilder();
        message.Append((problem?.Title ?? "The server answered " + status.ToString(CultureInfo.InvariantCulture)).TrimEnd('.'));
        var errors = api.ValidationErrors;
        if (!string.IsNullOrWhiteSpace(problem?.Detail) && problem.Detail != problem.Title && errors.Count == 0)
        {
            message.Append(": ").Append(problem.Detail.TrimEnd('.'));
        }

        foreach (var (field, messages) in errors)
        {
            message.Append(CultureInfo.InvariantCulture, $"; {field}: {string.Join(" ", messages).TrimEnd('.')}");
        }

        message.Append(CultureInfo.InvariantCulture, $" (HTTP {status}).");
        var (code, hint) = status switch
        {
            401 => (ExitCodes.Auth, "The server did not accept the API key: check CRYPTOSECURE_API_KEY, --api-key or the credentials file (cryptosecure register EMAIL --save writes it)."),
            403 => (ExitCodes.Auth, "This API key may not do that: use the identity owner's key (or an admin key)."),
            404 => (ExitCodes.NotFound, "Check the address, or register it first: cryptosecure register EMAIL."),
            413 => (ExitCodes.InvalidInput, "The input is larger than the server accepts: for files, use encrypt --envelope."),
            400 when errors.Values.SelectMany(m => m).Any(m => m.Contains("larger than", StringComparison.OrdinalIgnoreCase)) =>
                (ExitCodes.InvalidInput, "For large files, use encrypt --envelope (the data is then encrypted here, in chunks)."),
            400 or 415 or 422 => (ExitCodes.InvalidInput, string.Empty),
            409 => (ExitCodes.Server, string.Empty),
            429 => (ExitCodes.Server, "Rate limited: wait" + RetryAfter(api) + " and try again."),
            >= 500 => (ExitCodes.Server, "The server could not do it now: try again later" + RequestId(api) + "."),
            _ => (ExitCodes.Server, "Unexpected answer from the server: is --server the CryptoSecure API?"),
        };

        if (hint.Length > 0)
        {
            message.Append(' ').Append(hint);
        }

        return (code, message.ToString());
    }

    private static string RetryAfter(CryptoSecureApiException api) =>
        api.Headers is not null && api.Headers.TryGetValue("Retry-After", out var values) && values.FirstOrDefault() is { } seconds
            ? $" {seconds} s"
            : " a moment";

    private static string RequestId(CryptoSecureApiException api) =>
        api.Headers is not null && api.Headers.TryGetValue("X-Request-Id", out var values) && values.FirstOrDefault() is { } id
            ? $" (request id {id}, for the server's log)"
            : string.Empty;

    private static string TransportReason(HttpRequestException http) => http.HttpRequestError switch
    {
        HttpRequestError.ConnectionError => "connection refused or failed",
        HttpRequestError.NameResolutionError => "unknown host name",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        _ => http.InnerException?.Message ?? http.Message,
    };
}
