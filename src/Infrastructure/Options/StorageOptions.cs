namespace CryptoSecure.Infrastructure.Options;

/// <summary>Where local files live (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Data directory for the SQLite file and a Development master key; relative to the working directory.</summary>
    [System.ComponentModel.DataAnnotations.Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";
}
