namespace CryptoSecure.Infrastructure.Options;

/// <summary>Which key store and how to reach it (section "KeyStore").</summary>
public sealed class KeyStoreOptions
{
    public const string SectionName = "KeyStore";

    /// <summary>SQLite settings.</summary>
    public SqliteStoreOptions Sqlite { get; set; } = new();

    /// <summary>MongoDB settings.</summary>
    public MongoStoreOptions Mongo { get; set; } = new();
}
