using System.CommandLine;

namespace CryptoSecure.Cli;

/// <summary>The options every command takes (recursive on the root command).</summary>
internal static class GlobalOptions
{
    /// <summary>Where the server is when neither --server nor CRYPTOSECURE_URL says: what <c>dotnet run --project src/Api</c> listens on.</summary>
    public const string DefaultServer = "http://localhost:5080";

    public static readonly Option<string?> Server = new("--server", "-s")
    {
        Description = $"The server's URL. Default: $CRYPTOSECURE_URL, else {DefaultServer}.",
        HelpName = "url",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "The API key for owner operations. Visible to other users in the process list: prefer $CRYPTOSECURE_API_KEY or the credentials file.",
        HelpName = "key",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the server's answer as JSON (for scripts) instead of human-readable text.",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> Out = new("--out", "-o")
    {
        Description = "Write the result to this file (created 0600, replaced only on success) instead of stdout.",
        HelpName = "file",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Add(Server);
        root.Add(ApiKey);
        root.Add(Json);
        root.Add(Out);
    }
}
