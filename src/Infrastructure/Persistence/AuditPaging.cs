using System.Buffers.Binary;
using CryptoSecure.Application.Common.Ports;
using CryptoSecure.Domain.Audit;

namespace CryptoSecure.Infrastructure.Persistence;

/// <summary>
/// How every store pages its audit trail: one more row than the page is read to know whether
/// another page follows, and a position is checked for the shape the store makes before the store
/// is asked anything, so a forged one is an <see cref="ArgumentException"/> in every adapter alike.
/// </summary>
internal static class AuditPaging
{
    /// <summary>The page size asked for, checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public static int RowsToRead(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return limit + 1;
    }

    /// <summary>The page of the first <paramref name="limit"/> rows, newest first, and where the next starts when more were read.</summary>
    public static AuditPage Page<TRow>(IReadOnlyList<TRow> rows, int limit, Func<TRow, AuditEvent> toEvent, Func<TRow, AuditPosition> positionOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(toEvent);
        ArgumentNullException.ThrowIfNull(positionOf);
        var page = rows.Take(limit).ToList();
        var events = page.Select(toEvent).ToList();
        return new AuditPage(events, rows.Count > limit ? positionOf(page[^1]) : null);
    }

    /// <summary>A position that is a sequence number (positive, 8 bytes big-endian).</summary>
    public static AuditPosition FromSequence(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, sequence);
        return new AuditPosition(bytes);
    }

    /// <summary>The sequence number <paramref name="position"/> holds.</summary>
    /// <exception cref="ArgumentException">It is not one <see cref="FromSequence"/> made.</exception>
    public static long ToSequence(AuditPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return position.Bytes.Length == sizeof(long) && BinaryPrimitives.ReadInt64BigEndian(position.Bytes) is > 0 and var sequence
            ? sequence
            : throw NotMadeHere(nameof(position));
    }

    /// <summary>The bytes of <paramref name="position"/>, which the store made <paramref name="length"/> long.</summary>
    /// <exception cref="ArgumentException">It has another length.</exception>
    public static byte[] BytesOf(AuditPosition position, int length)
    {
        ArgumentNullException.ThrowIfNull(position);
        return position.Bytes.Length == length ? position.Bytes.ToArray() : throw NotMadeHere(nameof(position));
    }

    private static ArgumentException NotMadeHere(string parameter) => new("Not a position this store made.", parameter);
}
