using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CryptoSecure.Cli.Envelope;

/// <summary>
/// The envelope file format (docs/cli.md, "Envelope format"), version 1. All integers big-endian.
/// <code>
/// header:  magic "CSENV\0\r\n" (8) | version 1 (1) | chunk size C (4) | nonce prefix (8, random)
///          | wrapped key length L (2) | wrapped key (L bytes: the data key as a JWE to the identity)
/// chunks:  AES-256-GCM(data key, nonce = prefix | counter (4), aad = header[0..21] | final (1))
///          each C plaintext bytes (the last 0..C) followed by its 16-byte tag
/// </code>
/// The counter in the nonce catches reordered, dropped or duplicated chunks; the final flag in the
/// associated data catches a file cut at a chunk boundary; the fixed header in the associated data
/// catches a changed chunk size or nonce prefix. The wrapped key is not in the associated data, so
/// that <c>rewrap</c> can replace it without touching the chunks (another key fails every tag anyway).
/// </summary>
internal static class EnvelopeFormat
{
    public const byte Version = 1;
    public const int DefaultChunkSize = 64 * 1024;
    public const int MinChunkSize = 16;
    public const int MaxChunkSize = 16 * 1024 * 1024;
    public const int NoncePrefixLength = 8;
    public const int TagLength = 16;
    public const int FixedHeaderLength = 8 + 1 + 4 + NoncePrefixLength;
    public const int MaxWrappedKeyLength = ushort.MaxValue;

    /// <summary>The most chunks one file holds: the counter in the nonce is 4 bytes.</summary>
    public const long MaxChunks = 1L << 32;

    /// <summary>8 bytes that no JWE or base64 text starts with (a NUL and a CR LF, as PNG does).</summary>
    public static ReadOnlySpan<byte> Magic => "CSENV\0\r\n"u8;

    public static bool StartsWithMagic(ReadOnlySpan<byte> bytes) => bytes.Length >= Magic.Length && bytes[..Magic.Length].SequenceEqual(Magic);

    /// <summary>Encrypts <paramref name="input"/> to <paramref name="output"/> chunk by chunk: memory use is two chunks, whatever the size.</summary>
    public static Task EncryptAsync(Stream input, Stream output, ReadOnlyMemory<byte> dataKey, string wrappedKey, int chunkSize, IProgress<long>? progress, CancellationToken cancellationToken) =>
        EncryptAsync(input, output, dataKey, wrappedKey, chunkSize, progress, MaxChunks, cancellationToken);

    /// <summary>The most plaintext bytes one file holds at <paramref name="chunkSize"/>: <see cref="MaxChunks"/> × chunk size.</summary>
    public static long MaxPlaintextBytes(int chunkSize) => MaxChunks * chunkSize;

    /// <summary><see cref="EncryptAsync(Stream, Stream, ReadOnlyMemory{byte}, string, int, IProgress{long}, CancellationToken)"/> with a lower chunk limit (the format's is 2^32; tests use a small one).</summary>
    internal static async Task EncryptAsync(Stream input, Stream output, ReadOnlyMemory<byte> dataKey, string wrappedKey, int chunkSize, IProgress<long>? progress, long maxChunks, CancellationToken cancellationToken)
    {
        if (chunkSize is < MinChunkSize or > MaxChunkSize)
        {
            throw CliException.Usage($"The chunk size must be between {MinChunkSize} and {MaxChunkSize} bytes.");
        }

        var wrapped = Encoding.ASCII.GetBytes(wrappedKey);
        if (wrapped.Length > MaxWrappedKeyLength)
        {
            throw new CliException(ExitCodes.Server, "The server's wrapped data key is too long for the envelope format.");
        }

        var header = new byte[FixedHeaderLength + 2 + wrapped.Length];
        Magic.CopyTo(header);
        header[8] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(9), (uint)chunkSize);
        RandomNumberGenerator.Fill(header.AsSpan(13, NoncePrefixLength));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(FixedHeaderLength), (ushort)wrapped.Length);
        wrapped.CopyTo(header, FixedHeaderLength + 2);
        await output.WriteAsync(header, cancellationToken);

        using var aes = new AesGcm(dataKey.Span, TagLength);
        var fixedHeader = header.AsMemory(0, FixedHeaderLength);
        var current = new byte[chunkSize];
        var next = new byte[chunkSize];
        var sealedChunk = new byte[chunkSize + TagLength];
        try
        {
            var currentLength = await ReadFullAsync(input, current, cancellationToken);
            long done = 0;
            for (long counter = 0; ; counter++)
            {
                var nextLength = 0;
                var final = currentLength < chunkSize || (nextLength = await ReadFullAsync(input, next, cancellationToken)) == 0;
                if (!final && counter + 1 >= maxChunks)
                {
                    throw CliException.InvalidInput(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The input is larger than one envelope file can hold: at most {maxChunks} chunks × {chunkSize} bytes ({maxChunks * chunkSize} bytes at this chunk size). Use a larger --chunk-size, or split the input."));
                }

                Seal(aes, fixedHeader.Span, (uint)counter, final, current.AsSpan(0, currentLength), sealedChunk);
                await output.WriteAsync(sealedChunk.AsMemory(0, currentLength + TagLength), cancellationToken);
                done += currentLength;
                progress?.Report(done);
                if (final)
                {
                    break;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            // The plaintext, on every path: a failed write or a cancellation leaves none in memory.
            CryptographicOperations.ZeroMemory(current);
            CryptographicOperations.ZeroMemory(next);
        }
    }

    /// <summary>Reads the header after the magic (which the caller has read to detect the format).</summary>
    public static async Task<EnvelopeHeader> ReadHeaderAfterMagicAsync(Stream input, CancellationToken cancellationToken)
    {
        var fixedHeader = new byte[FixedHeaderLength + 2];
        Magic.CopyTo(fixedHeader);
        if (await ReadFullAsync(input, fixedHeader.AsMemory(Magic.Length), cancellationToken) != fixedHeader.Length - Magic.Length)
        {
            throw Damaged("its header is truncated");
        }

        if (fixedHeader[8] != Version)
        {
            throw CliException.InvalidInput($"This envelope file is format version {fixedHeader[8]}; this cryptosecure reads version {Version}. Upgrade the tool.");
        }

        var chunkSize = BinaryPrimitives.ReadUInt32BigEndian(fixedHeader.AsSpan(9));
        if (chunkSize is < MinChunkSize or > MaxChunkSize)
        {
            throw Damaged("its chunk size is out of range");
        }

        var wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(fixedHeader.AsSpan(FixedHeaderLength));
        var wrapped = new byte[wrappedLength];
        if (wrappedLength == 0 || await ReadFullAsync(input, wrapped, cancellationToken) != wrappedLength)
        {
            throw Damaged("its wrapped key is truncated");
        }

        return new EnvelopeHeader(fixedHeader.AsMemory(0, FixedHeaderLength).ToArray(), (int)chunkSize, Encoding.ASCII.GetString(wrapped));
    }

    /// <summary>Decrypts the chunks after <paramref name="header"/>, writing each as soon as its tag checks.</summary>
    public static Task DecryptAsync(EnvelopeHeader header, Stream input, Stream output, ReadOnlyMemory<byte> dataKey, IProgress<long>? progress, CancellationToken cancellationToken) =>
        DecryptAsync(header, input, output, dataKey, progress, MaxChunks, cancellationToken);

    /// <summary><see cref="DecryptAsync(EnvelopeHeader, Stream, Stream, ReadOnlyMemory{byte}, IProgress{long}, CancellationToken)"/> with a lower chunk limit (tests).</summary>
    internal static async Task DecryptAsync(EnvelopeHeader header, Stream input, Stream output, ReadOnlyMemory<byte> dataKey, IProgress<long>? progress, long maxChunks, CancellationToken cancellationToken)
    {
        using var aes = new AesGcm(dataKey.Span, TagLength);
        var block = header.ChunkSize + TagLength;
        var current = new byte[block];
        var next = new byte[block];
        var plain = new byte[header.ChunkSize];
        try
        {
            var currentLength = await ReadFullAsync(input, current, cancellationToken);
            long done = 0;
            for (long counter = 0; ; counter++)
            {
                if (currentLength < TagLength)
                {
                    throw Damaged("it is truncated");
                }

                var nextLength = 0;
                var final = currentLength < block || (nextLength = await ReadFullAsync(input, next, cancellationToken)) == 0;
                if (!final && counter + 1 >= maxChunks)
                {
                    throw Damaged(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it has more than the format's {maxChunks} chunks"));
                }

                var length = currentLength - TagLength;
                if (!Open(aes, header.Fixed, (uint)counter, final, current.AsSpan(0, currentLength), plain.AsSpan(0, length)))
                {
                    throw Damaged(final ? "it is truncated, or its last chunk was changed" : $"chunk {counter} was changed, moved or removed");
                }

                await output.WriteAsync(plain.AsMemory(0, length), cancellationToken);
                done += length;
                progress?.Report(done);
                if (final)
                {
                    break;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            // The plaintext, on every path: damage, a failed write or a cancellation leaves none in memory.
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Writes a header with <paramref name="wrappedKey"/> in place of the old one's (rewrap).</summary>
    public static async Task WriteHeaderAsync(Stream output, EnvelopeHeader header, string wrappedKey, CancellationToken cancellationToken)
    {
        var wrapped = Encoding.ASCII.GetBytes(wrappedKey);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)wrapped.Length));
        await output.WriteAsync(header.Fixed, cancellationToken);
        await output.WriteAsync(length, cancellationToken);
        await output.WriteAsync(wrapped, cancellationToken);
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how much was read.</summary>
    public static async Task<int> ReadFullAsync(Stream input, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await input.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static void Seal(AesGcm aes, ReadOnlySpan<byte> fixedHeader, uint counter, bool final, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> associated = stackalloc byte[FixedHeaderLength + 1];
        Derive(fixedHeader, counter, final, nonce, associated);
        aes.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagLength), associated);
    }

    private static bool Open(AesGcm aes, ReadOnlySpan<byte> fixedHeader, uint counter, bool final, ReadOnlySpan<byte> sealedChunk, Span<byte> destination)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> associated = stackalloc byte[FixedHeaderLength + 1];
        Derive(fixedHeader, counter, final, nonce, associated);
        try
        {
            aes.Decrypt(nonce, sealedChunk[..^TagLength], sealedChunk[^TagLength..], destination, associated);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static void Derive(ReadOnlySpan<byte> fixedHeader, uint counter, bool final, Span<byte> nonce, Span<byte> associated)
    {
        fixedHeader.Slice(13, NoncePrefixLength).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NoncePrefixLength..], counter);
        fixedHeader.CopyTo(associated);
        associated[FixedHeaderLength] = final ? (byte)1 : (byte)0;
    }

    private static CliException Damaged(string why) =>
        CliException.InvalidInput($"The envelope file is damaged ({why}); nothing after the damage was decrypted. If the output was stdout, discard what was written.");
}

/// <summary>An envelope file's header: its fixed part (bound to every chunk), chunk size and wrapped data key.</summary>
internal sealed record EnvelopeHeader(byte[] Fixed, int ChunkSize, string WrappedKey);
