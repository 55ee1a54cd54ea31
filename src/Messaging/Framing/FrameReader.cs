using System.Buffers;

namespace ClusterD.Messaging.Framing;

/// <summary>
/// Reads the frames of one direction of one link: bounds, version and type, then the handshake rule
/// (exactly one Hello, sequence 0, verified with a long-term key chosen by its key id), then every
/// further frame with the session protection and exactly the next sequence number (1, 2, ...), so a
/// replayed, dropped or reordered frame is refused. A frame is verified in place where it is
/// contiguous; its body stays valid until the buffer is advanced or the next frame is read.
/// Any error is final: the caller closes the link.
/// </summary>
public sealed class FrameReader
{
    private readonly Func<byte, FrameProtection.Hmac?> _helloKeys;
    /// <summary>Grown on first need: a reader that only ever sees a Hello (an unauthenticated connection) allocates none.</summary>
    private byte[] _scratch = [];
    private ulong _lastSeq;
    private bool _helloSeen;

    /// <param name="maxBody">Largest body accepted; bounded so that a length can never overflow.</param>
    /// <param name="helloKeys">The long-term key of a key id. Hellos are only ever HMAC-signed: a fixed sequence 0 under AES-GCM would reuse its nonce.</param>
    public FrameReader(int maxBody, Func<byte, FrameProtection.Hmac?> helloKeys)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBody);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBody, Array.MaxLength - FrameCodec.Overhead);
        MaxBody = maxBody;
        _helloKeys = helloKeys;
    }

    public int MaxBody { get; }

    /// <summary>The session protection, set by the owner once both Hellos are exchanged.</summary>
    public FrameProtection? Session { get; set; }

    public long FramesRead { get; private set; }

    public long BytesRead { get; private set; }

    /// <summary>
    /// Tries to take one frame off the front of <paramref name="buffer"/>. False with
    /// <see cref="FrameError.None"/> means "need more bytes"; false with an error means the link is bad.
    /// </summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out Frame frame, out FrameError error)
    {
        frame = default;
        error = FrameCodec.PeekHeader(buffer, MaxBody, out var size, out var header);
        if (error != FrameError.None || size == 0)
        {
            return false;
        }

        error = Check(header, out var protection);
        if (error != FrameError.None)
        {
            return false;
        }

        // Verify the frame where it lies in the pipe when it is contiguous (the usual case); copy only a
        // frame split across buffer segments. Decryption writes the plaintext body to the scratch buffer.
        var bodyLength = size - FrameCodec.Overhead;
        var whole = buffer.Slice(0, size);
        ReadOnlyMemory<byte> bytes;
        if (whole.IsSingleSegment)
        {
            bytes = whole.First;
            EnsureScratch(protection!.Encrypts ? bodyLength : 0);
        }
        else
        {
            EnsureScratch(size);
            whole.CopyTo(_scratch);
            bytes = _scratch.AsMemory(0, size);
        }

        var span = bytes.Span;
        var body = span.Slice(FrameCodec.HeaderSize, bodyLength);
        // Plaintext: the body where it lies, or its decryption in the scratch buffer (in place when the
        // frame itself had to be copied there).
        var decryptAt = !protection!.Encrypts ? -1 : whole.IsSingleSegment ? 0 : FrameCodec.HeaderSize;
        var decrypted = decryptAt < 0 ? Span<byte>.Empty : _scratch.AsSpan(decryptAt, bodyLength);
        if (header.Encrypted != protection.Encrypts
            || !protection.Open(span[..FrameCodec.HeaderSize], body, span[(size - FrameCodec.TagSize)..], header.Seq, decrypted))
        {
            error = FrameError.BadTag;
            return false;
        }

        if (header.Type == FrameType.Hello)
        {
            _helloSeen = true;
        }
        else
        {
            _lastSeq = header.Seq;
        }

        buffer = buffer.Slice(size);
        FramesRead++;
        BytesRead += size;
        var plaintext = decryptAt < 0 ? bytes.Slice(FrameCodec.HeaderSize, bodyLength) : _scratch.AsMemory(decryptAt, bodyLength);
        frame = new Frame(header.Type, header.Seq, plaintext);
        return true;
    }

    private void EnsureScratch(int size)
    {
        if (_scratch.Length < size)
        {
            _scratch = new byte[Math.Max(size, Math.Max(_scratch.Length * 2, 1024))];
        }
    }

    private FrameError Check(FrameHeader header, out FrameProtection? protection)
    {
        protection = null;
        if (header.Type == FrameType.Hello)
        {
            if (_helloSeen)
            {
                return FrameError.Unexpected;
            }

            if (header.Seq != 0)
            {
                return FrameError.OutOfSequence;
            }

            protection = _helloKeys(header.KeyId);
            return protection is null ? FrameError.UnknownKey : FrameError.None;
        }

        if (Session is null || !_helloSeen)
        {
            return FrameError.Unexpected;
        }

        if (header.KeyId != Session.KeyId)
        {
            return FrameError.UnknownKey;
        }

        if (header.Seq != _lastSeq + 1)
        {
            return FrameError.OutOfSequence;
        }

        protection = Session;
        return FrameError.None;
    }
}

/// <summary>
/// One verified frame. <see cref="Body"/> may point into the buffer it was read from: it is valid until
/// that buffer is advanced past the frame or the reader reads the next frame.
/// </summary>
public readonly record struct Frame(FrameType Type, ulong Seq, ReadOnlyMemory<byte> Body);
