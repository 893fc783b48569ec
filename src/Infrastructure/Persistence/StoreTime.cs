namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// Times as every store keeps them: whole milliseconds since the Unix epoch, UTC (an SQLite
/// integer, a BSON datetime). Finer ticks are dropped, so a time reads back as the same instant
/// whichever store wrote it.
/// </summary>
internal static class StoreTime
{
    /// <summary>The stored form of <paramref name="time"/>.</summary>
    public static long ToUnixMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>The instant a stored value stands for, at offset zero.</summary>
    public static DateTimeOffset FromUnixMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
