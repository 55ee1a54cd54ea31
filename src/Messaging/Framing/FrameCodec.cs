using System.Buffers;
using System.Buffers.Binary;

namespace ClusterD.Messaging.Framing;

/// <summary>
/// The frame layout, big-endian:
/// <code>
/// length u32 (bytes after this field) | version u8 | type u8 | key id u8 | flags u8 | seq u64 | body | tag (16)
/// </code>
/// The tag authenticates the 16 header bytes and the body (flags bit 0: the body is AES-256-GCM encrypted).
/// Pure: no I/O, no state; <see cref="FrameReader"/> and <see cref="FrameWriter"/> add the per-link state.
/// </summary>
public static class FrameCodec
{
    public const byte Version = 1;
    public const int HeaderSize = 16;
    public const int TagSize = FrameProtection.TagSize;
    public const int Overhead = HeaderSize + TagSize;

    /// <summary>Default largest body: 1 MiB, far above any configuration or status message.</summary>
    public const int DefaultMaxBody = 1 << 20;

    private const byte EncryptedFlag = 1;

    /// <summary>Writes one sealed frame into <paramref name="writer"/> (one GetSpan, one Advance).</summary>
    public static void Write(IBufferWriter<byte> writer, FrameType type, ulong seq, ReadOnlySpan<byte> body, FrameProtection protection)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(protection);
        var size = Overhead + body.Length;
        var span = writer.GetSpan(size)[..size];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(size - 4));
        span[4] = Version;
        span[5] = (byte)type;
        span[6] = protection.KeyId;
        span[7] = protection.Encrypts ? EncryptedFlag : (byte)0;
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], seq);
        var bodySpan = span.Slice(HeaderSize, body.Length);
        body.CopyTo(bodySpan);
        protection.Seal(span[..HeaderSize], bodySpan, span[(HeaderSize + body.Length)..], seq);
        writer.Advance(size);
    }

    /// <summary>
    /// Reads the length prefix and header of the next frame without consuming anything. Returns
    /// <see cref="FrameError.None"/> with <paramref name="frameSize"/> 0 when more bytes are needed.
    /// The length is bounded before any buffering, so a hostile prefix cannot make the reader allocate.
    /// </summary>
    public static FrameError PeekHeader(in ReadOnlySequence<byte> buffer, int maxBody, out int frameSize, out FrameHeader header)
    {
        frameSize = 0;
        header = default;
        if (buffer.Length < HeaderSize)
        {
            return FrameError.None;
        }

        Span<byte> bytes = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(bytes);
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (length > (uint)(maxBody + Overhead - 4))
        {
            return FrameError.Oversized;
        }

        if (length < Overhead - 4)
        {
            return FrameError.Undersized;
        }

        if (bytes[4] != Version)
        {
            return FrameError.BadVersion;
        }

        var type = (FrameType)bytes[5];
        if (type is < FrameType.Hello or > FrameType.Finished)
        {
            return FrameError.UnknownType;
        }

        header = new FrameHeader(type, bytes[6], (bytes[7] & EncryptedFlag) != 0, BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        frameSize = buffer.Length >= length + 4 ? (int)length + 4 : 0;
        return FrameError.None;
    }
}

/// <summary>The fixed part of a frame.</summary>
public readonly record struct FrameHeader(FrameType Type, byte KeyId, bool Encrypted, ulong Seq);
