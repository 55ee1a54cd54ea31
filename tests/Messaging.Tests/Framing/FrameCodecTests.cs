using System.Buffers;
using ClusterD.Messaging.Framing;
using static ClusterD.Messaging.Tests.Framing.FramingFixture;

namespace ClusterD.Messaging.Tests.Framing;

public sealed class FrameCodecTests
{
    private static byte[] Write(FrameType type, ulong seq, byte[] body, FrameProtection protection)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameCodec.Write(output, type, seq, body, protection);
        return output.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(false, "00")]
    [InlineData(true, "01")]
    public void Write_Header_MatchesDocumentedLayout(bool encrypted, string flags)
    {
        using var session = Session(encrypted);

        var frame = Write(FrameType.Ping, 0x0102_0304_0506_0708, "abc"u8.ToArray(), session);

        // length 31 = 12 header bytes after the prefix + 3 body + 16 tag | version 1 | Ping 3 | key 7 | flags | seq
        Assert.Equal("0000001F" + "01" + "03" + "07" + flags + "0102030405060708", Convert.ToHexString(frame.AsSpan(0, 16)));
        Assert.Equal(3 + FrameCodec.Overhead, frame.Length);
    }

    [Fact]
    public void Write_AfterExistingBytes_AppendsOneFrame()
    {
        using var session = Session(encrypted: false);
        var output = new ArrayBufferWriter<byte>();
        output.Write("xyz"u8);

        FrameCodec.Write(output, FrameType.Data, 1, Pattern(5, 0), session);

        Assert.Equal(3 + 5 + FrameCodec.Overhead, output.WrittenCount);
        Assert.Equal("xyz"u8.ToArray(), output.WrittenSpan[..3].ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(15)]
    public void PeekHeader_FewerThanHeaderBytes_NeedsMore(int available)
    {
        var buffer = new ReadOnlySequence<byte>(Header(uint.MaxValue, version: 0, type: 0), 0, available);

        var error = FrameCodec.PeekHeader(buffer, FrameCodec.DefaultMaxBody, out var size, out var header);

        Assert.Equal(FrameError.None, error);
        Assert.Equal(0, size);
        Assert.Equal(default, header);
    }

    [Fact]
    public void PeekHeader_CompleteFrameAcrossSegments_ReturnsSizeAndHeaderWithoutConsuming()
    {
        using var session = Session(encrypted: true);
        var frame = Write(FrameType.Pong, 42, Pattern(20, 9), session);
        var buffer = BufferSegment.Chunks(frame, 3);

        var error = FrameCodec.PeekHeader(buffer, FrameCodec.DefaultMaxBody, out var size, out var header);

        Assert.Equal(FrameError.None, error);
        Assert.Equal(frame.Length, size);
        Assert.Equal(new FrameHeader(FrameType.Pong, SessionKeyId, true, 42), header);
        Assert.Equal(frame.Length, buffer.Length);
    }

    [Fact]
    public void PeekHeader_FrameMissingLastByte_NeedsMore()
    {
        using var session = Session(encrypted: false);
        var frame = Write(FrameType.Data, 1, Pattern(20, 9), session);

        var error = FrameCodec.PeekHeader(new ReadOnlySequence<byte>(frame, 0, frame.Length - 1), FrameCodec.DefaultMaxBody, out var size, out _);

        Assert.Equal(FrameError.None, error);
        Assert.Equal(0, size);
    }

    [Theory]
    [InlineData(0u, FrameError.Undersized)]
    [InlineData(27u, FrameError.Undersized)]
    [InlineData(28u, FrameError.None)] // empty body
    [InlineData(100u + 28u, FrameError.None)] // body of exactly maxBody
    [InlineData(100u + 29u, FrameError.Oversized)]
    [InlineData(0x8000_0000u, FrameError.Oversized)] // negative as an int32
    [InlineData(0xFFFF_FFFFu, FrameError.Oversized)]
    public void PeekHeader_LengthPrefix_IsBoundedByMaxBody(uint length, FrameError expected)
    {
        var error = FrameCodec.PeekHeader(new ReadOnlySequence<byte>(Header(length)), maxBody: 100, out var size, out _);

        Assert.Equal(expected, error);
        Assert.Equal(0, size);
    }

    [Theory]
    [InlineData(0, FrameError.BadVersion)]
    [InlineData(2, FrameError.BadVersion)]
    [InlineData(1, FrameError.None)]
    public void PeekHeader_Version_OnlyOneIsAccepted(byte version, FrameError expected)
    {
        var error = FrameCodec.PeekHeader(new ReadOnlySequence<byte>(Header(28, version: version)), 100, out _, out _);

        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(0, FrameError.UnknownType)]
    [InlineData(1, FrameError.None)]
    [InlineData(4, FrameError.None)]
    [InlineData(5, FrameError.None)] // Finished
    [InlineData(6, FrameError.UnknownType)]
    [InlineData(9, FrameError.UnknownType)]
    [InlineData(255, FrameError.UnknownType)]
    public void PeekHeader_Type_OnlyDefinedTypesAreAccepted(byte type, FrameError expected)
    {
        var error = FrameCodec.PeekHeader(new ReadOnlySequence<byte>(Header(28, type: type)), 100, out _, out _);

        Assert.Equal(expected, error);
    }
}
