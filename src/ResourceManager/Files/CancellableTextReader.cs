namespace ClusterD.ResourceManager.Files;

/// <summary>
/// A <see cref="TextReader"/> that throws <see cref="OperationCanceledException"/> at its next read once the
/// token is cancelled: an XML reader on top of it pulls a buffer at a time, so a long parse stops within one
/// buffer (a few KB) of the cancellation.
/// </summary>
internal sealed class CancellableTextReader(TextReader inner, CancellationToken cancellationToken) : TextReader
{
    public override int Peek()
    {
        cancellationToken.ThrowIfCancellationRequested();
        return inner.Peek();
    }

    public override int Read()
    {
        cancellationToken.ThrowIfCancellationRequested();
        return inner.Read();
    }

    public override int Read(char[] buffer, int index, int count)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return inner.Read(buffer, index, count);
    }

    public override int Read(Span<char> buffer)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return inner.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
