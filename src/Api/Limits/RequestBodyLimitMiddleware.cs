using CryptoSecure.Api.Errors;
using CryptoSecure.Application.Common.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Limits;

/// <summary>
/// The one request body limit, counted in body bytes however the body is framed. Kestrel's own
/// limit stays as a backstop for requests that never reach <see cref="RequestBodyLimitMiddleware"/>,
/// but it counts chunked framing as body (a chunked body was refused some hundred bytes early),
/// so the middleware counts instead.
/// </summary>
public sealed class RequestBodyLimit(IOptions<LimitsOptions> limits, IOptions<EncryptionOptions> encryption)
{
    /// <summary>Largest body in bytes.</summary>
    public long Bytes { get; } = limits.Value.EffectiveMaxRequestBodyBytes(encryption.Value.MaxPlaintextBytes);
}

/// <summary>
/// Refuses bodies whose Content-Length is over <see cref="RequestBodyLimit"/> with 413 before
/// reading them, in the route's error shape, and counts bodies of unknown length (chunked) as they
/// are read, failing the read past the limit; the exception handler answers that with the same 413.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, RequestBodyLimit limit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength > limit.Bytes)
        {
            await ErrorResponder.WriteAsync(context, RequestLimits.TooLarge);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrelLimit)
        {
            // A declared length is checked above and Kestrel holds the body to it; a chunked one is counted below.
            kestrelLimit.MaxRequestBodySize = null;
        }

        if (request.ContentLength is null)
        {
            request.Body = new BodyLimitStream(request.Body, limit.Bytes);
        }

        await next(context);
    }

    /// <summary>Reads through to the body, failing with 413 once more than the limit has arrived.</summary>
    private sealed class BodyLimitStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge)
                : read;
        }
    }
}
