using System.Buffers;
using ClusterD.Messaging.Framing;
using static ClusterD.Messaging.Tests.Framing.FramingFixture;

namespace ClusterD.Messaging.Tests.Framing;

public sealed class FrameWriterTests
{
    [Fact]
    public void Write_WithoutSession_ThrowsAndWritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<InvalidOperationException>(() => new FrameWriter().Write(output, FrameType.Data, Pattern(4, 0)));
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_AfterHello_NumbersFramesFromOneAndCountsBytes(bool encrypted)
    {
        var stream = Stream(encrypted, [(FrameType.Data, Pattern(3, 0)), (FrameType.Ping, Pattern(8, 0)), (FrameType.Pong, [])]);
        var seqs = new List<ulong>();
        var buffer = new ReadOnlySequence<byte>(stream.Bytes);
        while (buffer.Length > 0)
        {
            Assert.Equal(FrameError.None, FrameCodec.PeekHeader(buffer, 100, out var size, out var header));
            seqs.Add(header.Seq);
            buffer = buffer.Slice(size);
        }

        Assert.Equal([0UL, 1UL, 2UL, 3UL], seqs);
        Assert.Equal(HelloBody.Length + 3 + 8 + (4 * FrameCodec.Overhead), stream.Bytes.Length);
    }

    [Fact]
    public void Counters_AfterHelloAndTwoFrames_CountFramesAndWireBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = Writer(encrypted: false);
        using var longTerm = LongTerm();

        writer.WriteHello(output, HelloBody, longTerm);
        writer.Write(output, FrameType.Data, Pattern(10, 0));
        writer.Write(output, FrameType.Ping, Pattern(8, 0));

        Assert.Equal(3, writer.FramesWritten);
        Assert.Equal(output.WrittenCount, writer.BytesWritten);
    }
}
