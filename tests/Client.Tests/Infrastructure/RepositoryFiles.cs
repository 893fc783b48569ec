namespace CryptoSecure.Client.Tests.Infrastructure;

/// <summary>Files of the repository the tests check (found by walking up to CryptoSecure.sln).</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RootDirectory => Root.Value;

    public static string PathOf(string relativePath) =>
        Path.Combine([RootDirectory, .. relativePath.Split('/')]);

    /// <summary>The file's text with LF line endings (a checkout with CRLF compares equal).</summary>
    public static string ReadNormalized(string relativePath) =>
        File.Exists(PathOf(relativePath)) ? NormalizeLineEndings(File.ReadAllText(PathOf(relativePath))) : string.Empty;

    public static string NormalizeLineEndings(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CryptoSecure.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"CryptoSecure.sln not found above {AppContext.BaseDirectory}.");
    }
}
