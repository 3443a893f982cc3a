namespace LxAnnotate.Hub.Hosting;

/// <summary>
/// The request body as an endpoint reads it, with the endpoint's own size limit: past <c>limit</c> bytes a read
/// throws the <see cref="BadHttpRequestException"/> (413) Kestrel throws at its limit, so callers see one failure
/// either way. Kestrel's limit sits higher (<see cref="OversizedRequestBody"/>), leaving room to drain a refused body.
/// </summary>
internal sealed class LimitedRequestBodyStream(Stream inner, long limit) : AsyncReadOnlyStream
{
    private long read;

    /// <summary>The body without this limit: only for draining what is left after a refusal.</summary>
    public Stream Inner => inner;

    /// <summary>Bytes the endpoint has read so far.</summary>
    public long BytesRead => read;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (read > limit)
        {
            throw TooLarge();
        }

        // One byte more than the limit is enough to tell a body over it, and never more than that is taken.
        var room = limit - read;
        var wanted = room >= buffer.Length ? buffer.Length : (int)room + 1;
        var count = await inner.ReadAsync(buffer[..wanted], cancellationToken);
        read += count;
        return read > limit ? throw TooLarge() : count;
    }

    private static BadHttpRequestException TooLarge() =>
        new("Request body too large.", StatusCodes.Status413PayloadTooLarge);
}
