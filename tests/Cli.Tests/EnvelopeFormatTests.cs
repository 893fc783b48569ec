using System.Security.Cryptography;
using CryptoSecure.Cli.Envelope;

namespace CryptoSecure.Cli.Tests;

/// <summary>
/// The envelope format itself (no server): every size round-trips, and truncation, reordering,
/// duplication, tampering and a wrong key are each detected before any damaged plaintext is written.
/// </summary>
public sealed class EnvelopeFormatTests
{
    private const int Chunk = 64;
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    [InlineData((5 * Chunk) + 17)]
    public async Task Every_size_round_trips(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);

        var sealedBytes = await SealAsync(data);

        (await OpenAsync(sealedBytes)).Should().Equal(data);
        var chunks = Math.Max(1, (size + Chunk - 1) / Chunk);
        sealedBytes.Length.Should().Be(HeaderLength + size + (chunks * EnvelopeFormat.TagLength), "one tag per chunk, and an empty final chunk only for empty data");
    }

    [Fact]
    public async Task Cutting_the_file_at_a_chunk_boundary_is_detected()
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes(3 * Chunk));

        var cut = sealedBytes[..^(Chunk + EnvelopeFormat.TagLength)];

        await ShouldBeDamagedAsync(cut);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(EnvelopeFormat.TagLength)]
    [InlineData(Chunk + 3)]
    public async Task Cutting_the_file_inside_a_chunk_is_detected(int dropped)
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes((3 * Chunk) + 10));

        await ShouldBeDamagedAsync(sealedBytes[..^dropped]);
    }

    [Fact]
    public async Task A_file_with_its_header_only_is_detected()
    {
        var sealedBytes = await SealAsync([]);

        await ShouldBeDamagedAsync(sealedBytes[..HeaderLength]);
    }

    [Fact]
    public async Task Swapping_two_chunks_is_detected()
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes(4 * Chunk));
        const int block = Chunk + EnvelopeFormat.TagLength;
        var swapped = sealedBytes.ToArray();
        sealedBytes.AsSpan(HeaderLength, block).CopyTo(swapped.AsSpan(HeaderLength + block));
        sealedBytes.AsSpan(HeaderLength + block, block).CopyTo(swapped.AsSpan(HeaderLength));

        await ShouldBeDamagedAsync(swapped);
    }

    [Fact]
    public async Task Repeating_a_chunk_or_appending_bytes_is_detected()
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes(2 * Chunk));
        const int block = Chunk + EnvelopeFormat.TagLength;

        var repeated = sealedBytes[..(HeaderLength + block)].Concat(sealedBytes[HeaderLength..]).ToArray();
        var appended = sealedBytes.Concat(new byte[] { 0 }).ToArray();

        await ShouldBeDamagedAsync(repeated);
        await ShouldBeDamagedAsync(appended);
    }

    [Fact]
    public async Task Changing_any_byte_of_a_chunk_or_of_the_fixed_header_is_detected()
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 5));
        // The nonce prefix (bytes 13..20), a ciphertext byte, a tag byte, the last byte.
        int[] positions = [13, 20, HeaderLength, HeaderLength + Chunk + 1, sealedBytes.Length - 1];

        foreach (var position in positions)
        {
            var tampered = sealedBytes.ToArray();
            tampered[position] ^= 0x80;
            await ShouldBeDamagedAsync(tampered);
        }
    }

    [Fact]
    public async Task Another_data_key_opens_nothing()
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes(Chunk * 2));

        var act = () => OpenAsync(sealedBytes, RandomNumberGenerator.GetBytes(32));

        (await act.Should().ThrowAsync<CliException>()).Which.ExitCode.Should().Be(5);
    }

    [Fact]
    public async Task Nothing_after_a_damaged_chunk_is_written()
    {
        var data = RandomNumberGenerator.GetBytes(4 * Chunk);
        var sealedBytes = await SealAsync(data);
        sealedBytes[HeaderLength + (2 * (Chunk + EnvelopeFormat.TagLength)) + 3] ^= 1;
        using var output = new MemoryStream();

        var act = () => OpenAsync(sealedBytes, Key, output);

        await act.Should().ThrowAsync<CliException>();
        output.ToArray().Should().Equal(data[..(2 * Chunk)], "only the chunks before the damaged one, each authenticated");
    }

    [Fact]
    public async Task Encryption_streams_a_large_input_in_constant_memory()
    {
        const long size = 96L * 1024 * 1024;
        await using var input = new PatternStream(size);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await EnvelopeFormat.EncryptAsync(input, Stream.Null, Key, "wrapped", EnvelopeFormat.DefaultChunkSize, progress: null, CancellationToken.None);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        allocated.Should().BeLessThan(8L * 1024 * 1024, "a few chunk buffers, not the file (96 MiB)");
    }

    [Fact]
    public async Task An_input_beyond_the_chunk_limit_stops_with_a_message_naming_the_limit_and_exactly_the_limit_round_trips()
    {
        // The format's limit is 2^32 chunks; the same check with a limit of 3 (the test seam).
        var data = RandomNumberGenerator.GetBytes(3 * Chunk);
        using var fits = new MemoryStream();
        await EnvelopeFormat.EncryptAsync(new MemoryStream(data), fits, Key, "wrapped-key-jwe", Chunk, progress: null, maxChunks: 3, CancellationToken.None);
        (await OpenAsync(fits.ToArray())).Should().Equal(data);

        var act = () => EnvelopeFormat.EncryptAsync(new MemoryStream(RandomNumberGenerator.GetBytes((3 * Chunk) + 1)), Stream.Null, Key, "wrapped-key-jwe", Chunk, progress: null, maxChunks: 3, CancellationToken.None);

        var failure = (await act.Should().ThrowAsync<CliException>()).Which;
        failure.ExitCode.Should().Be(5);
        failure.Message.Should().Contain("3 chunks × 64 bytes").And.Contain("--chunk-size");
        EnvelopeFormat.MaxPlaintextBytes(EnvelopeFormat.DefaultChunkSize).Should().Be((1L << 32) * 65536, "2^32 chunks × the chunk size (256 TiB at 64 KiB), as docs/cli.md says");
    }

    [Fact]
    public async Task A_file_with_more_chunks_than_the_limit_is_damaged_not_an_overflow()
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes(4 * Chunk));
        using var input = new MemoryStream(sealedBytes);
        await EnvelopeFormat.ReadFullAsync(input, new byte[8], CancellationToken.None);
        var header = await EnvelopeFormat.ReadHeaderAfterMagicAsync(input, CancellationToken.None);

        var act = () => EnvelopeFormat.DecryptAsync(header, input, Stream.Null, Key, progress: null, maxChunks: 2, CancellationToken.None);

        (await act.Should().ThrowAsync<CliException>()).Which.Message.Should().Contain("damaged").And.Contain("2 chunks");
    }

    [Fact]
    public async Task Encryption_zeroes_its_plaintext_buffers_when_writing_fails()
    {
        var input = new RecordingInput(RandomNumberGenerator.GetBytes(5 * Chunk));

        var act = () => EnvelopeFormat.EncryptAsync(input, new FailingOutput(failAtWrite: 3), Key, "wrapped-key-jwe", Chunk, progress: null, CancellationToken.None);

        await act.Should().ThrowAsync<IOException>();
        input.Buffers.Should().NotBeEmpty();
        input.Buffers.Should().OnlyContain(buffer => buffer.All(b => b == 0), "the chunks read were plaintext");
    }

    [Fact]
    public async Task Decryption_zeroes_its_plaintext_buffer_when_writing_fails_or_a_chunk_is_damaged()
    {
        var sealedBytes = await SealAsync(RandomNumberGenerator.GetBytes(4 * Chunk));
        var failing = new FailingOutput(failAtWrite: 2);
        var writeFails = () => OpenAsync(sealedBytes, Key, failing);
        await writeFails.Should().ThrowAsync<IOException>();

        var damaged = sealedBytes.ToArray();
        damaged[HeaderLength + (2 * (Chunk + EnvelopeFormat.TagLength)) + 1] ^= 1;
        var recording = new FailingOutput(failAtWrite: int.MaxValue);
        var damageFound = () => OpenAsync(damaged, Key, recording);
        await damageFound.Should().ThrowAsync<CliException>();

        failing.Buffers.Concat(recording.Buffers).Should().NotBeEmpty();
        failing.Buffers.Concat(recording.Buffers).Should().OnlyContain(buffer => buffer.All(b => b == 0), "the buffer written from held plaintext");
    }

    private static int HeaderLength => EnvelopeFormat.FixedHeaderLength + 2 + "wrapped-key-jwe".Length;

    private static async Task<byte[]> SealAsync(byte[] data)
    {
        using var output = new MemoryStream();
        await EnvelopeFormat.EncryptAsync(new MemoryStream(data), output, Key, "wrapped-key-jwe", Chunk, progress: null, CancellationToken.None);
        return output.ToArray();
    }

    private static async Task<byte[]> OpenAsync(byte[] sealedBytes, byte[]? key = null, MemoryStream? output = null)
    {
        output ??= new MemoryStream();
        await OpenAsync(sealedBytes, key, (Stream)output);
        return output.ToArray();
    }

    private static async Task OpenAsync(byte[] sealedBytes, byte[]? key, Stream output)
    {
        using var input = new MemoryStream(sealedBytes);
        var magic = new byte[8];
        (await EnvelopeFormat.ReadFullAsync(input, magic, CancellationToken.None)).Should().Be(8);
        EnvelopeFormat.StartsWithMagic(magic).Should().BeTrue();
        var header = await EnvelopeFormat.ReadHeaderAfterMagicAsync(input, CancellationToken.None);
        header.WrappedKey.Should().Be("wrapped-key-jwe");
        await EnvelopeFormat.DecryptAsync(header, input, output, key ?? Key, progress: null, CancellationToken.None);
    }

    private static async Task ShouldBeDamagedAsync(byte[] sealedBytes)
    {
        var act = () => OpenAsync(sealedBytes);
        var failure = (await act.Should().ThrowAsync<CliException>()).Which;
        failure.ExitCode.Should().Be(5);
        failure.Message.Should().Contain("damaged");
    }

    /// <summary>A non-seekable stream of <c>length</c> bytes made on the fly, as a pipe would give.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[i] = (byte)(_position + i);
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>An input that keeps every buffer the reader filled, to look at them afterwards.</summary>
    private sealed class RecordingInput(byte[] data) : MemoryStream(data)
    {
        public List<byte[]> Buffers { get; } = [];

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(buffer, out var segment) && !Buffers.Contains(segment.Array!))
            {
                Buffers.Add(segment.Array!);
            }

            return base.ReadAsync(buffer, cancellationToken);
        }
    }

    /// <summary>An output that keeps every buffer written from, and fails at the given write (a full disk).</summary>
    private sealed class FailingOutput(int failAtWrite) : MemoryStream
    {
        private int _writes;

        public List<byte[]> Buffers { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(buffer, out var segment) && !Buffers.Contains(segment.Array!))
            {
                Buffers.Add(segment.Array!);
            }

            return ++_writes >= failAtWrite ? throw new IOException("No space left on device") : base.WriteAsync(buffer, cancellationToken);
        }
    }
}
