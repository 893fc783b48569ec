using System.ComponentModel.DataAnnotations;

namespace CryptoSecure.Application.Common.Options;

/// <summary>Batch settings (section "Batch").</summary>
public sealed class BatchOptions
{
    public const string SectionName = "Batch";

    /// <summary>
    /// Most items one batch request may carry (default 1000). The body limit still applies; this
    /// bounds how long one request can hold its caller's rate-limit permit while every item is
    /// worked through.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxItems { get; set; } = 1000;
}
