using System.Buffers;
using ClusterD.Messaging.Framing;
using static ClusterD.Messaging.Tests.Framing.FramingFixture;

namespace ClusterD.Messaging.Tests.Framing;

/// <summary>Every refusal: each <see cref="FrameError"/> a hostile or broken peer can cause, and that nothing is consumed.</summary>
public sealed partial class FrameReaderTests
{
    private static readonly byte[] Body8 = Pattern(8, 0x30);

    /// <summary>Reads <paramref name="bytes"/>; the stream must stop at <paramref name="expected"/> right after the Hello.</summary>
    private static void AssertRefusedAfterHello(FrameReader reader, byte[] bytes, int helloEnd, FrameError expected)
    {
        var result = ReadAll(reader, bytes);

        Assert.Equal(expected, result.Error);
        Assert.Equal([FrameType.Hello], result.Frames.Select(f => f.Type));
        Assert.Equal(bytes.Length - helloEnd, result.Remaining);
    }

    private static void AssertRefusedFirst(FrameReader reader, byte[] bytes, FrameError expected)
    {
        var result = ReadAll(reader, bytes);

        Assert.Equal(expected, result.Error);
        Assert.Empty(result.Frames);
        Assert.Equal(bytes.Length, result.Remaining);
    }

    [Theory]
    [InlineData(0u, FrameError.Undersized)]
    [InlineData(27u, FrameError.Undersized)]
    [InlineData(0x7FFF_FFFFu, FrameError.Oversized)]
    [InlineData(0x8000_0000u, FrameError.Oversized)]
    [InlineData(0xFFFF_FFFFu, FrameError.Oversized)]
    public void TryRead_BadLengthPrefix_IsRefused(uint length, FrameError expected)
    {
        var reader = Reader(encrypted: false);
        var stream = HelloAndData(encrypted: false, Body8);
        var bytes = Concat(stream.Bytes.AsSpan(0, stream.Ends[0]).ToArray(), Header(length));

        AssertRefusedAfterHello(reader, bytes, stream.Ends[0], expected);
        AssertRefusedFirst(Reader(encrypted: false), Header(length, type: (byte)FrameType.Hello, keyId: HelloKeyId, seq: 0), expected);
    }

    [Fact]
    public void TryRead_HeaderOfSmallestFrame_NeedsMoreNotUndersized()
    {
        var buffer = new ReadOnlySequence<byte>(Header(FrameCodec.Overhead - 4, type: (byte)FrameType.Hello, keyId: HelloKeyId, seq: 0));

        Assert.False(Reader(encrypted: false).TryRead(ref buffer, out _, out var error));
        Assert.Equal(FrameError.None, error);
        Assert.Equal(FrameCodec.HeaderSize, buffer.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void TryRead_OtherVersion_IsBadVersion(byte version)
    {
        var stream = HelloAndData(encrypted: false, Body8);
        var bytes = stream.Bytes.ToArray();
        bytes[stream.Ends[0] + 4] = version;

        AssertRefusedAfterHello(Reader(encrypted: false), bytes, stream.Ends[0], FrameError.BadVersion);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(9)]
    [InlineData(255)]
    public void TryRead_TypeOutsideEnum_IsUnknownType(byte type)
    {
        var stream = HelloAndData(encrypted: true, Body8);
        var first = stream.Bytes.ToArray();
        first[5] = type;
        var second = stream.Bytes.ToArray();
        second[stream.Ends[0] + 5] = type;

        AssertRefusedFirst(Reader(encrypted: true), first, FrameError.UnknownType);
        AssertRefusedAfterHello(Reader(encrypted: true), second, stream.Ends[0], FrameError.UnknownType);
    }

    /// <summary>What flipping byte <paramref name="offset"/> of a frame must cause; which header fields are checked before the tag.</summary>
    private static FrameError ExpectedAfterFlip(int offset, byte original, byte flipped) => offset switch
    {
        4 => FrameError.BadVersion,
        5 when flipped is < (byte)FrameType.Hello or > (byte)FrameType.Finished => FrameError.UnknownType,
        5 when (FrameType)flipped == FrameType.Hello => FrameError.Unexpected, // a second Hello
        5 when (FrameType)original == FrameType.Hello => FrameError.Unexpected, // a session frame before the Hello
        6 => FrameError.UnknownKey,
        >= 8 and < 16 => FrameError.OutOfSequence,
        _ => FrameError.BadTag, // flags (incl. the encrypted bit), another session type, body, tag
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_AnySingleByteOfSessionFrameFlipped_IsRefused(bool encrypted)
    {
        var stream = HelloAndData(encrypted, Body8);
        var helloEnd = stream.Ends[0];

        foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (var offset = 4; offset < stream.Bytes.Length - helloEnd; offset++)
            {
                var bytes = stream.Bytes.ToArray();
                var original = bytes[helloEnd + offset];
                bytes[helloEnd + offset] ^= mask;
                var expected = ExpectedAfterFlip(offset, original, bytes[helloEnd + offset]);

                var result = ReadAll(Reader(encrypted), bytes);

                Assert.True(expected == result.Error, $"offset {offset} mask 0x{mask:x2}: expected {expected}, got {result.Error}");
                Assert.Single(result.Frames);
                Assert.Equal(bytes.Length - helloEnd, result.Remaining);
            }
        }
    }

    [Fact]
    public void TryRead_AnySingleByteOfHelloFlipped_IsRefused()
    {
        var stream = HelloAndData(encrypted: false, Body8);

        foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (var offset = 4; offset < stream.Ends[0]; offset++)
            {
                var bytes = stream.Bytes.ToArray();
                var original = bytes[offset];
                bytes[offset] ^= mask;
                var expected = ExpectedAfterFlip(offset, original, bytes[offset]);

                var result = ReadAll(Reader(encrypted: false), bytes);

                Assert.True(expected == result.Error, $"offset {offset} mask 0x{mask:x2}: expected {expected}, got {result.Error}");
                Assert.Empty(result.Frames);
                Assert.Equal(bytes.Length, result.Remaining);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_AnyLengthByteFlipped_NeverYieldsTheFrame(bool encrypted)
    {
        // A corrupted length cannot be told from a short read, so "need more" is a valid answer; a frame is not.
        var stream = HelloAndData(encrypted, Body8);
        var helloEnd = stream.Ends[0];

        foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (var offset = 0; offset < 4; offset++)
            {
                var bytes = stream.Bytes.ToArray();
                bytes[helloEnd + offset] ^= mask;

                var result = ReadAll(Reader(encrypted), bytes);

                Assert.Single(result.Frames);
                Assert.Equal(bytes.Length - helloEnd, result.Remaining);
                Assert.Contains(result.Error, new[] { FrameError.None, FrameError.Oversized, FrameError.Undersized, FrameError.BadTag });
            }
        }
    }

    [Fact]
    public void TryRead_HelloWithUnknownKeyId_IsUnknownKey()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var foreign = LongTerm(keyId: 9))
        {
            new FrameWriter().WriteHello(output, HelloBody, foreign);
        }

        AssertRefusedFirst(Reader(encrypted: false), output.WrittenSpan.ToArray(), FrameError.UnknownKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_SessionFrameWithOtherKeyId_IsUnknownKey(bool encrypted)
    {
        var stream = HelloAndData(encrypted, Body8, Session(encrypted, keyId: SessionKeyId + 1));

        AssertRefusedAfterHello(Reader(encrypted), stream.Bytes, stream.Ends[0], FrameError.UnknownKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_SameFrameTwice_SecondIsOutOfSequence(bool encrypted)
    {
        var stream = HelloAndData(encrypted, Body8);
        var data = stream.Bytes[stream.Ends[0]..];

        var result = ReadAll(Reader(encrypted), Concat(stream.Bytes, data));

        Assert.Equal(FrameError.OutOfSequence, result.Error);
        Assert.Equal([0UL, 1UL], result.Frames.Select(f => f.Seq));
        Assert.Equal(data.Length, result.Remaining);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_FrameSkipped_NextIsOutOfSequence(bool encrypted)
    {
        var stream = Stream(encrypted, [(FrameType.Data, Body8), (FrameType.Data, Body8), (FrameType.Ping, Body8)]);
        var withoutSecond = Concat(stream.Bytes[..stream.Ends[1]], stream.Bytes[stream.Ends[2]..]);

        var result = ReadAll(Reader(encrypted), withoutSecond);

        Assert.Equal(FrameError.OutOfSequence, result.Error);
        Assert.Equal([0UL, 1UL], result.Frames.Select(f => f.Seq));
        Assert.Equal(stream.Ends[3] - stream.Ends[2], result.Remaining);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(ulong.MaxValue)]
    public void TryRead_HelloWithNonZeroSeq_IsOutOfSequence(ulong seq)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var longTerm = LongTerm())
        {
            FrameCodec.Write(output, FrameType.Hello, seq, HelloBody, longTerm);
        }

        AssertRefusedFirst(Reader(encrypted: false), output.WrittenSpan.ToArray(), FrameError.OutOfSequence);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_SessionFrameWithSeqZero_IsOutOfSequence(bool encrypted)
    {
        var stream = HelloAndData(encrypted, Body8);
        var output = new ArrayBufferWriter<byte>();
        using (var session = Session(encrypted))
        {
            FrameCodec.Write(output, FrameType.Data, 0, Body8, session);
        }

        var bytes = Concat(stream.Bytes[..stream.Ends[0]], output.WrittenSpan.ToArray());

        AssertRefusedAfterHello(Reader(encrypted), bytes, stream.Ends[0], FrameError.OutOfSequence);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_DataBeforeHello_IsUnexpected(bool encrypted)
    {
        var stream = HelloAndData(encrypted, Body8);

        AssertRefusedFirst(Reader(encrypted), stream.Bytes[stream.Ends[0]..], FrameError.Unexpected);
    }

    [Fact]
    public void TryRead_SecondHello_IsUnexpected()
    {
        var stream = HelloAndData(encrypted: false, Body8);
        var hello = stream.Bytes[..stream.Ends[0]];

        AssertRefusedAfterHello(Reader(encrypted: false), Concat(hello, hello), hello.Length, FrameError.Unexpected);
    }

    [Fact]
    public void TryRead_DataAfterHelloWithoutSession_IsUnexpected()
    {
        var stream = HelloAndData(encrypted: false, Body8);
        var reader = Reader(encrypted: false);
        reader.Session = null;

        AssertRefusedAfterHello(reader, stream.Bytes, stream.Ends[0], FrameError.Unexpected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_EncryptedFlagDisagreesWithSession_IsBadTag(bool writerEncrypts)
    {
        // Same key bytes and key id on both sides: only the cipher choice differs.
        var stream = HelloAndData(writerEncrypts, Body8);

        AssertRefusedAfterHello(Reader(!writerEncrypts), stream.Bytes, stream.Ends[0], FrameError.BadTag);
    }

    [Fact]
    public void TryRead_HelloEncryptedButLongTermKeyIsHmac_IsBadTag()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var aes = new FrameProtection.AesGcmSealed(HelloKeyId, LongTermKey, Salt))
        {
            FrameCodec.Write(output, FrameType.Hello, 0, HelloBody, aes); // FrameWriter refuses to: Hellos are HMAC-only
        }

        AssertRefusedFirst(Reader(encrypted: false), output.WrittenSpan.ToArray(), FrameError.BadTag);
    }
}
