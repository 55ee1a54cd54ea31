using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using ClusterD.Messaging.Framing;
using static ClusterD.Messaging.Tests.Framing.FramingFixture;

namespace ClusterD.Messaging.Tests.Framing;

public sealed class FrameProtectionTests
{
    /// <summary>64 bytes nobody would mistake for ciphertext: "ClusterD secret payload " repeated.</summary>
    private static readonly byte[] Recognizable = Enumerable.Repeat("ClusterD secret payload "u8.ToArray(), 3).SelectMany(b => b).Take(64).ToArray();

    private static bool ContainsAnyWindow(ReadOnlySpan<byte> haystack, byte[] needle, int window)
    {
        for (var i = 0; i + window <= needle.Length; i++)
        {
            if (haystack.IndexOf(needle.AsSpan(i, window)) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public void Hmac_Tag_IsHmacSha256OfHeaderAndBodyTruncatedTo128Bits()
    {
        var stream = HelloAndData(encrypted: false, Recognizable);
        var frame = stream.Bytes[stream.Ends[0]..];

        var expected = HMACSHA256.HashData(SessionKey, frame.AsSpan(0, frame.Length - FrameCodec.TagSize))[..FrameCodec.TagSize];

        Assert.Equal(expected, frame[^FrameCodec.TagSize..]);
        Assert.Equal(Recognizable, frame[FrameCodec.HeaderSize..^FrameCodec.TagSize]);
    }

    [Fact]
    public void AesGcm_Frame_DecryptsWithSaltAndSeqNonceAndHeaderAsAssociatedData()
    {
        var stream = HelloAndData(encrypted: true, Recognizable);
        var frame = stream.Bytes[stream.Ends[0]..];
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(nonce, Salt);
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), 1);
        var plain = new byte[Recognizable.Length];

        using (var aes = new AesGcm(SessionKey, FrameCodec.TagSize))
        {
            aes.Decrypt(nonce, frame.AsSpan(FrameCodec.HeaderSize, plain.Length), frame.AsSpan(frame.Length - FrameCodec.TagSize), plain, frame.AsSpan(0, FrameCodec.HeaderSize));
        }

        Assert.Equal(Recognizable, plain);
    }

    [Fact]
    public void AesGcm_Wire_DoesNotContainPlaintextAndReadsBack()
    {
        var stream = HelloAndData(encrypted: true, Recognizable);

        var result = ReadAll(Reader(encrypted: true), stream.Bytes);

        Assert.False(ContainsAnyWindow(stream.Bytes, Recognizable, 8));
        Assert.Equal(FrameError.None, result.Error);
        Assert.Equal(Recognizable, result.Frames[1].Body);
    }

    [Fact]
    public void Hmac_Wire_CarriesPlaintext()
    {
        // The control for the test above: without crypto_cipher the body is only authenticated.
        var stream = HelloAndData(encrypted: false, Recognizable);

        Assert.True(ContainsAnyWindow(stream.Bytes, Recognizable, Recognizable.Length));
    }

    [Fact]
    public void AesGcm_SameBodyNextSeq_DifferentCiphertext()
    {
        var stream = Stream(encrypted: true, [(FrameType.Data, Recognizable), (FrameType.Data, Recognizable)]);

        var first = stream.Bytes.AsSpan(stream.Ends[0] + FrameCodec.HeaderSize, Recognizable.Length).ToArray();
        var second = stream.Bytes.AsSpan(stream.Ends[1] + FrameCodec.HeaderSize, Recognizable.Length).ToArray();

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Open_FrameOfAnotherSessionWithSameKeyIdAndSeq_IsBadTag(bool encrypted)
    {
        var stream = HelloAndData(encrypted, Recognizable, Session(encrypted, key: OtherSessionKey));

        var result = ReadAll(Reader(encrypted), stream.Bytes);

        Assert.Equal(FrameError.BadTag, result.Error);
        Assert.Single(result.Frames);
        Assert.Equal(stream.Bytes.Length - stream.Ends[0], result.Remaining);
    }

    [Fact]
    public void AesGcm_FrameSealedWithOtherDirectionsSalt_IsBadTag()
    {
        // Same session key, the nonce salt of the opposite direction: a reflected frame does not open.
        var stream = HelloAndData(encrypted: true, Recognizable, Session(encrypted: true, salt: Salt ^ 1));

        var result = ReadAll(Reader(encrypted: true), stream.Bytes);

        Assert.Equal(FrameError.BadTag, result.Error);
    }

    [Fact]
    public void Open_HelloSignedWithOtherLongTermKeyOfSameId_IsBadTag()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var forged = LongTerm(key: OtherSessionKey))
        {
            new FrameWriter().WriteHello(output, HelloBody, forged);
        }

        var result = ReadAll(Reader(encrypted: false), output.WrittenSpan.ToArray());

        Assert.Equal(FrameError.BadTag, result.Error);
        Assert.Empty(result.Frames);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Open_FailedFrame_LeavesProtectionUsable(bool encrypted)
    {
        // A protection holds state (an incremental HMAC, an AES context): a refused tag must not poison the next Open.
        using var sealer = Session(encrypted);
        using var opener = Session(encrypted);
        var header = Header(8 + 28);
        var body = Pattern(8, 0);
        var tag = new byte[FrameCodec.TagSize];
        sealer.Seal(header, body, tag, 1);
        var broken = tag.ToArray();
        broken[0] ^= 1;

        Assert.False(opener.Open(header, body.ToArray(), broken, 1));
        Assert.True(opener.Open(header, body, tag, 1));
        Assert.Equal(Pattern(8, 0), body);
    }
}
