namespace CryptoSecure.Infrastructure.Options;

/// <summary>SQLite settings (section "KeyStore:Sqlite").</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Database file; default "{Storage:DataDirectory}/cryptosecure.db".</summary>
    public string? Path { get; set; }

    /// <summary>How long a write waits for the database lock before the request gets 503.</summary>
    public int BusyTimeoutSeconds { get; set; } = 10;
}
