using System.Buffers;

namespace ClusterD.Messaging.Framing;

/// <summary>Writes the frames of one direction of one link: the Hello at sequence 0, then 1, 2, ... with the session protection.</summary>
public sealed class FrameWriter
{
    private ulong _nextSeq = 1;

    /// <summary>The session protection, set once both Hellos are exchanged.</summary>
    public FrameProtection? Session { get; set; }

    public long FramesWritten { get; private set; }

    public long BytesWritten { get; private set; }

    /// <summary>Writes the Hello (sequence 0), HMAC-signed with the long-term key (never AES-GCM: the fixed sequence would reuse a nonce).</summary>
    public void WriteHello(IBufferWriter<byte> writer, ReadOnlySpan<byte> body, FrameProtection.Hmac longTermKey)
    {
        FrameCodec.Write(writer, FrameType.Hello, 0, body, longTermKey);
        Count(body.Length);
    }

    public void Write(IBufferWriter<byte> writer, FrameType type, ReadOnlySpan<byte> body)
    {
        if (type == FrameType.Hello)
        {
            throw new ArgumentException("a Hello is written with WriteHello, once", nameof(type));
        }

        var session = Session ?? throw new InvalidOperationException("no session yet: the handshake has not completed");
        FrameCodec.Write(writer, type, _nextSeq++, body, session);
        Count(body.Length);
    }

    private void Count(int bodyLength)
    {
        FramesWritten++;
        BytesWritten += bodyLength + FrameCodec.Overhead;
    }
}
