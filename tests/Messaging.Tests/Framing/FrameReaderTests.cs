using System.Buffers;
using ClusterD.Messaging.Framing;
using FsCheck;
using FsCheck.Fluent;
using static ClusterD.Messaging.Tests.Framing.FramingFixture;

namespace ClusterD.Messaging.Tests.Framing;

/// <summary>Reading well-formed streams: round trips, segmentation, partial frames, batching and the size bound.</summary>
public sealed partial class FrameReaderTests
{
    private static readonly FrameType[] SessionTypes = [FrameType.Data, FrameType.Ping, FrameType.Pong];

    /// <summary>Small bodies around the header and tag sizes plus a few larger ones: about 0.8 KB of stream.</summary>
    private static EncodedStream MixedStream(bool encrypted) => Stream(encrypted,
    [
        (FrameType.Data, []),
        (FrameType.Ping, Pattern(8, 1)),
        (FrameType.Pong, Pattern(8, 1)),
        (FrameType.Data, Pattern(15, 2)),
        (FrameType.Data, Pattern(16, 3)),
        (FrameType.Data, Pattern(17, 4)),
        (FrameType.Data, RandomBody(100, 5)),
        (FrameType.Data, RandomBody(300, 6)),
    ]);

    private static Gen<(FrameType Type, byte[] Body)> FrameGen =>
        from type in Gen.Elements(SessionTypes)
        from length in Gen.Frequency((3, Gen.Choose(0, 4096)), (1, Gen.Elements(0, 1, 15, 16, 17, 4095, 4096)))
        from seed in Gen.Choose(0, int.MaxValue)
        select (type, RandomBody(length, seed));

    [Fact]
    public void TryRead_RandomFrameSequences_RoundTripTypesSeqsAndBodies()
    {
        var streams = Gen.Zip(Gen.Elements(false, true), Gen.ListOf(FrameGen).Select(l => l.ToArray()));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb.From(streams), input =>
        {
            var (encrypted, frames) = input;
            var output = new ArrayBufferWriter<byte>();
            var writer = Writer(encrypted);
            using (var longTerm = LongTerm())
            {
                writer.WriteHello(output, HelloBody, longTerm);
            }

            foreach (var (type, body) in frames)
            {
                writer.Write(output, type, body);
            }

            var reader = Reader(encrypted);
            var result = ReadAll(reader, new ReadOnlySequence<byte>(output.WrittenMemory));

            Assert.Equal(FrameError.None, result.Error);
            Assert.Equal(0, result.Remaining);
            Assert.Equal(frames.Length + 1, result.Frames.Count);
            Assert.Equal(FrameType.Hello, result.Frames[0].Type);
            Assert.Equal(0UL, result.Frames[0].Seq);
            for (var i = 0; i < frames.Length; i++)
            {
                Assert.Equal(frames[i].Type, result.Frames[i + 1].Type);
                Assert.Equal((ulong)(i + 1), result.Frames[i + 1].Seq);
                Assert.Equal(frames[i].Body, result.Frames[i + 1].Body);
            }

            Assert.Equal(writer.BytesWritten, reader.BytesRead);
            Assert.Equal(writer.FramesWritten, reader.FramesRead);
        }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_StreamSplitInTwoAtEveryByte_ReadsIdenticalFrames(bool encrypted)
    {
        var stream = MixedStream(encrypted);

        for (var at = 0; at <= stream.Bytes.Length; at++)
        {
            var result = ReadAll(Reader(encrypted), BufferSegment.SplitAt(stream.Bytes, at));

            Assert.Equal(FrameError.None, result.Error);
            Assert.Equal(0, result.Remaining);
            AssertFrames(stream.Frames, result.Frames);
        }
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 7)]
    [InlineData(false, 16)]
    [InlineData(true, 17)]
    public void TryRead_StreamInSmallSegments_ReadsIdenticalFrames(bool encrypted, int segmentSize)
    {
        var stream = MixedStream(encrypted);

        var result = ReadAll(Reader(encrypted), BufferSegment.Chunks(stream.Bytes, segmentSize));

        Assert.Equal(FrameError.None, result.Error);
        Assert.Equal(0, result.Remaining);
        AssertFrames(stream.Frames, result.Frames);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_BytesArriveOneAtATime_EachFrameAppearsExactlyWhenCompleteAndPartialsStayUnconsumed(bool encrypted)
    {
        // A PipeReader loop: the unconsumed bytes so far as 1-byte segments, TryRead until false, then one more byte.
        var stream = MixedStream(encrypted);
        var reader = Reader(encrypted);
        var consumed = 0;
        var next = 0;

        for (var arrived = 0; arrived <= stream.Bytes.Length; arrived++)
        {
            var buffer = BufferSegment.Chunks(stream.Bytes.AsMemory(consumed, arrived - consumed), 1);
            while (true)
            {
                var before = buffer;
                if (!reader.TryRead(ref buffer, out var frame, out var error))
                {
                    Assert.Equal(FrameError.None, error);
                    Assert.Equal(before.Start, buffer.Start);
                    Assert.Equal(before.Length, buffer.Length);
                    break;
                }

                Assert.Equal(stream.Ends[next], arrived);
                Assert.Equal(stream.Frames[next].Type, frame.Type);
                Assert.Equal(stream.Frames[next].Seq, frame.Seq);
                Assert.Equal(stream.Frames[next].Body, frame.Body.ToArray());
                Assert.Equal(before.Length - (stream.Ends[next] - consumed), buffer.Length);
                consumed = stream.Ends[next];
                next++;
            }

            Assert.Equal(stream.Ends.Count(end => end <= arrived), next);
        }

        Assert.Equal(stream.Frames.Count, next);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_ThousandFramesInOneBuffer_AllReadInOneLoop(bool encrypted)
    {
        var frames = Enumerable.Range(0, 1000).Select(i => (SessionTypes[i % 3], RandomBody(i % 97, i))).ToArray();
        var stream = Stream(encrypted, frames);
        var reader = Reader(encrypted);

        var result = ReadAll(reader, stream.Bytes);

        Assert.Equal(FrameError.None, result.Error);
        Assert.Equal(0, result.Remaining);
        AssertFrames(stream.Frames, result.Frames);
        Assert.Equal(1001, reader.FramesRead);
        Assert.Equal(stream.Bytes.Length, reader.BytesRead);
    }

    [Theory]
    [InlineData(false, 1000)]
    [InlineData(true, 1000)]
    [InlineData(false, FrameCodec.DefaultMaxBody)]
    [InlineData(true, FrameCodec.DefaultMaxBody)]
    public void TryRead_BodyOfExactlyMaxBody_IsAccepted(bool encrypted, int maxBody)
    {
        var body = RandomBody(maxBody, maxBody);
        var stream = HelloAndData(encrypted, body);

        var result = ReadAll(Reader(encrypted, maxBody), stream.Bytes);

        Assert.Equal(FrameError.None, result.Error);
        AssertFrames(stream.Frames, result.Frames);
    }

    [Theory]
    [InlineData(false, 1000)]
    [InlineData(true, 1000)]
    [InlineData(false, FrameCodec.DefaultMaxBody)]
    [InlineData(true, FrameCodec.DefaultMaxBody)]
    public void TryRead_OnlyHeaderOfMaxBodyPlusOne_IsOversizedBeforeTheBodyArrives(bool encrypted, int maxBody)
    {
        var stream = HelloAndData(encrypted, new byte[maxBody + 1]);
        var helloEnd = stream.Ends[0];
        var reader = Reader(encrypted, maxBody);
        var buffer = new ReadOnlySequence<byte>(stream.Bytes, 0, helloEnd + FrameCodec.HeaderSize);

        Assert.True(reader.TryRead(ref buffer, out _, out var helloError));
        Assert.Equal(FrameError.None, helloError);
        Assert.False(reader.TryRead(ref buffer, out _, out var error));

        Assert.Equal(FrameError.Oversized, error);
        Assert.Equal(FrameCodec.HeaderSize, buffer.Length);
    }

    [Fact]
    public void TryRead_OnlyHeaderOfOversizedHello_IsOversized()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var longTerm = LongTerm())
        {
            new FrameWriter().WriteHello(output, new byte[1001], longTerm);
        }

        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory[..FrameCodec.HeaderSize]);

        Assert.False(Reader(encrypted: false, maxBody: 1000).TryRead(ref buffer, out _, out var error));
        Assert.Equal(FrameError.Oversized, error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryRead_SteadyState_AllocatesNothing(bool encrypted)
    {
        // The hot path of a link: after the first frames (scratch buffer sized, code paths warmed) reading allocates nothing.
        var frames = Enumerable.Range(0, 200).Select(i => (FrameType.Data, RandomBody(1024, i))).ToArray();
        var stream = Stream(encrypted, frames);
        var reader = Reader(encrypted);
        var buffer = new ReadOnlySequence<byte>(stream.Bytes);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(reader.TryRead(ref buffer, out _, out _));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = 0;
        while (reader.TryRead(ref buffer, out _, out _))
        {
            read++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(101, read);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void TryRead_ContiguousFrame_BodyIsReadWhereItLiesUnlessDecrypted(bool encrypted, bool inPlace)
    {
        // An authenticated-only frame in one buffer segment is verified and handed out in place; a sealed one is
        // decrypted into the reader's own buffer (the pipe's memory is never written).
        var body = RandomBody(300, 3);
        var stream = HelloAndData(encrypted, body);
        var reader = Reader(encrypted);
        var buffer = new ReadOnlySequence<byte>(stream.Bytes);
        var original = stream.Bytes.ToArray();
        Assert.True(reader.TryRead(ref buffer, out _, out _));

        Assert.True(reader.TryRead(ref buffer, out var frame, out var error));

        Assert.Equal(FrameError.None, error);
        Assert.Equal(body, frame.Body.ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame.Body, out var segment));
        Assert.Equal(inPlace, ReferenceEquals(segment.Array, stream.Bytes));
        if (inPlace)
        {
            Assert.Equal(stream.Ends[0] + FrameCodec.HeaderSize, segment.Offset);
        }

        Assert.Equal(original, stream.Bytes);
    }
}
