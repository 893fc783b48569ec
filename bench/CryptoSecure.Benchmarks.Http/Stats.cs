using System.Globalization;

namespace CryptoSecure.Benchmarks.Http;

/// <summary>Summary of a set of latencies in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double Mean, double Median, double P95, double Min, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = samples.Order().ToArray();
        return new LatencySummary(sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 95), sorted[0], sorted[^1]);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

internal static class Format
{
    public static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);

    public static string N(double value, string format = "F0") => value.ToString(format, CultureInfo.InvariantCulture);
}
