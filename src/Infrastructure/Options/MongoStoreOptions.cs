namespace CryptoSecure.Infrastructure.Options;

/// <summary>MongoDB settings (section "KeyStore:Mongo").</summary>
public sealed class MongoStoreOptions
{
    /// <summary>Connection string, e.g. "mongodb://localhost:27017/?replicaSet=rs0".</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Database name.</summary>
    public string Database { get; set; } = "cryptosecure";

    /// <summary>Server selection, connect and write-concern timeout: how long a request waits before 503.</summary>
    public int TimeoutSeconds { get; set; } = 5;
}
