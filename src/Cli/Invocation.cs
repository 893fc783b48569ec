using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CryptoSecure.Client;

namespace CryptoSecure.Cli;

/// <summary>
/// One run of a command: the global options resolved (server, API key, output), the input and
/// output streams, and the typed client. Commands get everything through this.
/// </summary>
internal sealed class Invocation : IDisposable
{
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly ParseResult _parse;
    private readonly HttpClient _http;
    private readonly Lazy<Credentials> _credentials;

    public Invocation(ParseResult parse, CliConsole console)
    {
        _parse = parse;
        Console = console;
        Server = ResolveServer(parse.GetValue(GlobalOptions.Server) ?? console.Variable("CRYPTOSECURE_URL"));
        Json = parse.GetValue(GlobalOptions.Json);
        OutFile = parse.GetValue(GlobalOptions.Out);
        _credentials = new Lazy<Credentials>(() => Credentials.Default(console.Variables));
        _http = new HttpClient { BaseAddress = Server, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("cryptosecure-cli/" + typeof(Invocation).Assembly.GetName().Version?.ToString(3));
    }

    public CliConsole Console { get; }

    /// <summary>The server's address, ending in "/".</summary>
    public Uri Server { get; }

    public bool Json { get; }

    public FileInfo? OutFile { get; }

    public Credentials Credentials => _credentials.Value;

    /// <summary>The value of a command's own option or argument.</summary>
    public T? Get<T>(Option<T> option) => _parse.GetValue(option);

    /// <summary>The value of a required argument.</summary>
    public string Required(Argument<string> argument) => _parse.GetRequiredValue(argument);

    /// <inheritdoc cref="Get{T}(Option{T})"/>
    public T? Get<T>(Argument<T> argument) => _parse.GetValue(argument);

    /// <summary>Whether the option was given on the command line (not just its default).</summary>
    public bool Given(Option option) => _parse.GetResult(option) is { Implicit: false };

    /// <summary>A client for public operations: no API key is sent.</summary>
    public CryptoSecureClient PublicClient() => new(_http);

    /// <summary>
    /// A client for an owner operation on <paramref name="email"/>, sending the key from --api-key,
    /// CRYPTOSECURE_API_KEY or the credentials file, in that order.
    /// </summary>
    public CryptoSecureClient OwnerClient(string? email) =>
        new(_http) { ApiKey = ApiKeyFor(email) };

    private string ApiKeyFor(string? email)
    {
        var key = _parse.GetValue(GlobalOptions.ApiKey);
        if (string.IsNullOrWhiteSpace(key))
        {
            key = Console.Variable("CRYPTOSECURE_API_KEY");
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            key = Credentials.Find(Server, email);
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            var who = email is null ? "this server" : email;
            throw new CliException(ExitCodes.Auth, $"No API key for {who} on {Credentials.Normalize(Server)}: set CRYPTOSECURE_API_KEY, or run \"cryptosecure register {email ?? "EMAIL"} --save\" (the key is then read from {Credentials.FilePath}).");
        }

        return key.Trim();
    }

    /// <summary>The input: the file named, or stdin when none (or "-") is.</summary>
    public Stream OpenInput(string? path)
    {
        if (path is null or "-")
        {
            if (Console.InputIsTerminal && Console.ErrorIsTerminal)
            {
                Note("cryptosecure: reading from the terminal; end with Ctrl-D (or pass a file).");
            }

            return Console.OpenStandardInput();
        }

        if (path.StartsWith('-'))
        {
            // Almost always a mistyped option taken for the file argument.
            throw CliException.Usage($"Unknown option {UsageErrors.OptionName(path)} (to read a file of that name, write ./ before it).");
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.InvalidInput($"Cannot read {path}: {Describe(e)}.");
        }
    }

    /// <summary>
    /// The most a command reads into memory to send in one request (far above any server's
    /// plaintext limit): a larger input stops here instead of filling the machine's memory.
    /// </summary>
    public const int MaxRequestInputBytes = 256 * 1024 * 1024;

    /// <summary>All of the input, for operations whose data goes to the server in one request.</summary>
    public async Task<byte[]> ReadAllInputAsync(string? path, CancellationToken cancellationToken)
    {
        await using var input = OpenInput(path);
        return await ReadRestAsync(input, ReadOnlyMemory<byte>.Empty, path, cancellationToken);
    }

    /// <summary>
    /// <paramref name="start"/> (bytes already read to detect the format) and the rest of
    /// <paramref name="input"/>, at most <see cref="MaxRequestInputBytes"/> in all.
    /// </summary>
    public static async Task<byte[]> ReadRestAsync(Stream input, ReadOnlyMemory<byte> start, string? path, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        buffer.Write(start.Span);
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await input.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxRequestInputBytes)
                {
                    throw CliException.InvalidInput($"{path ?? "stdin"} is larger than one request can carry ({MaxRequestInputBytes / (1024 * 1024)} MiB here, and the server's limit is lower): for large files, use encrypt --envelope, or sign --format raw --digest.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException e)
        {
            throw CliException.InvalidInput($"Cannot read {path ?? "stdin"}: {Describe(e)}.");
        }

        return buffer.ToArray();
    }

    /// <summary>The input as text (a ciphertext, a signature), trimmed.</summary>
    public async Task<string> ReadTextInputAsync(string? path, string what, CancellationToken cancellationToken)
    {
        var bytes = await ReadAllInputAsync(path, cancellationToken);
        var text = Encoding.UTF8.GetString(bytes).Trim();
        if (text.Length == 0)
        {
            throw CliException.InvalidInput($"No {what} given: pass a file, or pipe it to stdin.");
        }

        return text;
    }

    /// <summary>Where the result goes: --out (written to a temporary file first) or stdout.</summary>
    public Output OpenOutput() => Output.Open(OutFile, Console);

    /// <summary>Writes raw bytes (a plaintext, a PEM) as the whole result.</summary>
    public async Task WriteBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await using var output = OpenOutput();
        await output.Stream.WriteAsync(bytes, cancellationToken);
        await output.CommitAsync(cancellationToken);
    }

    /// <summary>Writes the result: <paramref name="answer"/> as JSON with --json, else <paramref name="human"/>'s text.</summary>
    public async Task WriteResultAsync(object answer, Func<string> human, CancellationToken cancellationToken)
    {
        var text = Json ? JsonSerializer.Serialize(answer, answer.GetType(), JsonOutput) + "\n" : human();
        await WriteBytesAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>A message for the person at the terminal (stderr): never part of the result.</summary>
    public void Note(string message) => Console.Error.WriteLine(message);

    public static string ToJson(object value) => JsonSerializer.Serialize(value, value.GetType(), JsonOutput);

    public static T FromJson<T>(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonOutput) ?? throw CliException.InvalidInput($"The {what} is empty (null).");
        }
        catch (JsonException e)
        {
            throw CliException.InvalidInput($"The {what} is not valid JSON: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

    private static Uri ResolveServer(string? value)
    {
        var text = string.IsNullOrWhiteSpace(value) ? GlobalOptions.DefaultServer : value.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"The server address \"{text}\" is not an http:// or https:// URL (from --server or CRYPTOSECURE_URL).");
        }

        // The typed client's paths are relative: a base path is extended, not replaced.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
