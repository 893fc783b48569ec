namespace CryptoSecure.Infrastructure.Options;

/// <summary>Where local files live (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Data directory for the SQLite file and a Development master key; relative to the working directory.</summary>
    [System.ComponentModel.DataAnnotations.Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";
}

/// <summary>Which key store and how to reach it (section "KeyStore").</summary>
public sealed class KeyStoreOptions
{
    public const string SectionName = "KeyStore";


    /// <summary>SQLite settings.</summary>
    public SqliteStoreOptions Sqlite { get; set; } = new();

    /// <summary>MongoDB settings.</summary>
    public MongoStoreOptions Mongo { get; set; } = new();
}

/// <summary>SQLite settings (section "KeyStore:Sqlite").</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Database file; default "{Storage:DataDirectory}/cryptosecure.db".</summary>
    public string? Path { get; set; }

    /// <summary>How long a write waits for the database lock before the request gets 503.</summary>
    public int BusyTimeoutSeconds { get; set; } = 10;
}

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

/// <summary>Master key and administrator keys (section "Security").</summary>
public sealed class SecurityOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Security";

    /// <summary>Shortest admin key accepted at start-up.</summary>
    public const int MinAdminKeyLength = 32;

    /// <summary>Base64 of 32 random bytes (for example from the environment variable <c>Security__MasterKey</c>).</summary>
    public string? MasterKey { get; set; }

    /// <summary>Path of a file holding the base64 master key (for example a mounted secret).</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>Administrator API keys; kept only as SHA-256 hashes in memory.</summary>
    public IList<string> AdminApiKeys { get; } = [];

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (AdminApiKeys.Any(k => !string.IsNullOrWhiteSpace(k) && k.Trim().Length < MinAdminKeyLength))
        {
            yield return new System.ComponentModel.DataAnnotations.ValidationResult(
                $"Every Security:AdminApiKeys entry must be at least {MinAdminKeyLength} characters of random text (for example: openssl rand -base64 32).");
        }
    }

    /// <inheritdoc />
    public override string ToString() => "SecurityOptions(redacted)";
}
