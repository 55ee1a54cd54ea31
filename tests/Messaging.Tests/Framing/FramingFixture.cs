using System.Buffers;
using System.Buffers.Binary;
using ClusterD.Messaging.Framing;

namespace ClusterD.Messaging.Tests.Framing;

/// <summary>One frame as the reader returned it, with the body copied out (the reader reuses its buffer).</summary>
internal sealed record ReadFrame(FrameType Type, ulong Seq, byte[] Body);

/// <summary>A Hello and session frames as one byte stream, the offset where each frame ends, and the frames themselves.</summary>
internal sealed record EncodedStream(byte[] Bytes, int[] Ends, IReadOnlyList<ReadFrame> Frames);

/// <summary>What a read loop ended with: the frames taken, the error that stopped it, and the bytes left in the buffer.</summary>
internal sealed record ReadResult(IReadOnlyList<ReadFrame> Frames, FrameError Error, long Remaining);

/// <summary>
/// Keys, protections and read/write loops shared by the framing tests. Writer and reader always get their
/// own protection instances built from the same key bytes, as two nodes would.
/// </summary>
internal static class FramingFixture
{
    public const byte HelloKeyId = 1;
    public const byte SessionKeyId = 7;
    public const uint Salt = 0xA1B2C3D4;

    public static readonly byte[] LongTermKey = Pattern(32, 0x10);
    public static readonly byte[] SessionKey = Pattern(32, 0x40);
    public static readonly byte[] OtherSessionKey = Pattern(32, 0x80);
    public static readonly byte[] HelloBody = "hello from node 1"u8.ToArray();

    public static byte[] Pattern(int length, int start) => Enumerable.Range(0, length).Select(i => (byte)(start + (i * 7))).ToArray();

    public static byte[] RandomBody(int length, int seed)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }

    public static FrameProtection Session(bool encrypted, byte[]? key = null, byte keyId = SessionKeyId, uint salt = Salt) =>
        encrypted
            ? new FrameProtection.AesGcmSealed(keyId, key ?? SessionKey, salt)
            : new FrameProtection.Hmac(keyId, key ?? SessionKey);

    public static FrameProtection.Hmac LongTerm(byte keyId = HelloKeyId, byte[]? key = null) => new(keyId, key ?? LongTermKey);

    /// <summary>A reader that knows only the long-term key <see cref="HelloKeyId"/> and has its session set.</summary>
    public static FrameReader Reader(bool encrypted, int maxBody = FrameCodec.DefaultMaxBody, FrameProtection? session = null)
    {
        var hello = LongTerm();
        return new FrameReader(maxBody, id => id == HelloKeyId ? hello : null) { Session = session ?? Session(encrypted) };
    }

    public static FrameWriter Writer(bool encrypted, FrameProtection? session = null) => new() { Session = session ?? Session(encrypted) };

    /// <summary>A Hello (seq 0) then <paramref name="frames"/> (seq 1, 2, ...) written by one <see cref="FrameWriter"/>.</summary>
    public static EncodedStream Stream(bool encrypted, IReadOnlyList<(FrameType Type, byte[] Body)> frames, FrameProtection? session = null)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = Writer(encrypted, session);
        var ends = new int[frames.Count + 1];
        var expected = new List<ReadFrame>(frames.Count + 1);
        using (var longTerm = LongTerm())
        {
            writer.WriteHello(output, HelloBody, longTerm);
        }

        ends[0] = output.WrittenCount;
        expected.Add(new ReadFrame(FrameType.Hello, 0, HelloBody));
        for (var i = 0; i < frames.Count; i++)
        {
            writer.Write(output, frames[i].Type, frames[i].Body);
            ends[i + 1] = output.WrittenCount;
            expected.Add(new ReadFrame(frames[i].Type, (ulong)(i + 1), frames[i].Body));
        }

        return new EncodedStream(output.WrittenSpan.ToArray(), ends, expected);
    }

    /// <summary>A Hello then one Data frame with <paramref name="body"/>.</summary>
    public static EncodedStream HelloAndData(bool encrypted, byte[] body, FrameProtection? session = null) =>
        Stream(encrypted, [(FrameType.Data, body)], session);

    /// <summary>The reader loop of a link: TryRead until it returns false.</summary>
    public static ReadResult ReadAll(FrameReader reader, ReadOnlySequence<byte> buffer)
    {
        var frames = new List<ReadFrame>();
        FrameError error;
        while (reader.TryRead(ref buffer, out var frame, out error))
        {
            frames.Add(new ReadFrame(frame.Type, frame.Seq, frame.Body.ToArray()));
        }

        return new ReadResult(frames, error, buffer.Length);
    }

    public static ReadResult ReadAll(FrameReader reader, byte[] bytes) => ReadAll(reader, new ReadOnlySequence<byte>(bytes));

    public static void AssertFrames(IReadOnlyList<ReadFrame> expected, IReadOnlyList<ReadFrame> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Type, actual[i].Type);
            Assert.Equal(expected[i].Seq, actual[i].Seq);
            Assert.Equal(expected[i].Body, actual[i].Body);
        }
    }

    /// <summary>A bare 16-byte header; the fields default to a valid Data frame at seq 1.</summary>
    public static byte[] Header(uint length, byte version = FrameCodec.Version, byte type = (byte)FrameType.Data, byte keyId = SessionKeyId, byte flags = 0, ulong seq = 1)
    {
        var header = new byte[FrameCodec.HeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        header[4] = version;
        header[5] = type;
        header[6] = keyId;
        header[7] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(8), seq);
        return header;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
