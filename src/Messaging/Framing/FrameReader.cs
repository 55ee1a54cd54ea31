using System.Buffers;

namespace ClusterD.Messaging.Framing;

/// <summary>
/// Reads the frames of one direction of one link: bounds, version and type, then the handshake rule
/// (exactly one Hello, sequence 0, verified with a long-term key chosen by its key id), then every
/// further frame with the session protection and exactly the next sequence number (1, 2, ...), so a
/// replayed, dropped or reordered frame is refused. A frame's body stays valid until the next read.
/// Any error is final: the caller closes the link.
/// </summary>
public sealed class FrameReader
{
    private readonly Func<byte, FrameProtection.Hmac?> _helloKeys;
    private byte[] _scratch = new byte[4096];
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

        if (_scratch.Length < size)
        {
            _scratch = new byte[Math.Max(size, _scratch.Length * 2)];
        }

        var bytes = _scratch.AsSpan(0, size);
        buffer.Slice(0, size).CopyTo(bytes);
        var bodyLength = size - FrameCodec.Overhead;
        if (header.Encrypted != protection!.Encrypts
            || !protection.Open(bytes[..FrameCodec.HeaderSize], bytes.Slice(FrameCodec.HeaderSize, bodyLength), bytes[(size - FrameCodec.TagSize)..], header.Seq))
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
        frame = new Frame(header.Type, header.Seq, _scratch.AsMemory(FrameCodec.HeaderSize, bodyLength));
        return true;
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

/// <summary>One verified frame; <see cref="Body"/> is valid until the reader reads the next frame.</summary>
public readonly record struct Frame(FrameType Type, ulong Seq, ReadOnlyMemory<byte> Body);
