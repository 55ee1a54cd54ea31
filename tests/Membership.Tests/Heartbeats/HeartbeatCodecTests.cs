using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ClusterD.Membership.Heartbeats;
using ClusterD.Messaging.Security;

namespace ClusterD.Membership.Tests.Heartbeats;

public sealed class HeartbeatCodecTests
{
    private static readonly AuthKey Key1 = new(1, Enumerable.Repeat((byte)0x11, 64).ToArray());
    private static readonly AuthKey Key2 = new(2, Enumerable.Repeat((byte)0x22, 64).ToArray());
    private static readonly AuthKeyRing Ring1 = new(Key1, []);
    private static readonly byte[] Name = "hacluster"u8.ToArray();

    // Offsets for the 9-byte cluster name: prefix 6, name 9, then the fixed body.
    private const int KindOffset = 3;
    private const int KeyIdOffset = 4;
    private const int NameLengthOffset = 5;
    private const int BodyStart = 6 + 9;
    private const int RowCountOffset = BodyStart + 4 + 8 + 8 + 1 + 8 + 8 + 4 + 8 + 4 + 8 + 4;

    private static HeartbeatFrame Sample(int rows, HeartbeatKind kind = HeartbeatKind.Heartbeat)
    {
        // Every field gets distinct bytes, so a swapped or misplaced field cannot go unnoticed.
        var frame = new HeartbeatFrame
        {
            Kind = kind,
            Sender = new NodeId(0x01020304),
            Incarnation = 0x1112131415161718,
            Seq = 0x2122232425262728,
            Link = 0x33,
            NodelistDigest = 0x4142434445464748,
            EchoSeq = 0x5152535455565758,
            EchoDelayMicros = 0x61626364,
            InstalledSeq = 0x7172737475767778,
            InstalledMembers = 0x81828384,
            ProposalSeq = 0x9192939495969798,
            ProposalMembers = 0xA1A2A3A4,
            RowCount = rows,
        };
        for (var i = 0; i < rows; i++)
        {
            frame.Rows[i] = new ConnectivityRow((byte)i, 0xB000_0000_0000_0000UL + (ulong)i, 0xC000_0000_0000_0000UL + (ulong)i, 0xD000_0000u | (uint)i);
        }

        return frame;
    }

    private static byte[] Encode(HeartbeatFrame frame, AuthKey? key = null, byte[]? name = null)
    {
        var buffer = new byte[HeartbeatCodec.MaxDatagram + 256];
        var length = HeartbeatCodec.Write(buffer, frame, name ?? Name, key ?? Key1);
        return buffer[..length];
    }

    private static DatagramVerdict Read(byte[] datagram, AuthKeyRing? ring = null, byte[]? name = null) =>
        HeartbeatCodec.TryRead(datagram, name ?? Name, ring ?? Ring1, new HeartbeatFrame());

    /// <summary>Recomputes the MAC after a datagram was modified, so that only the later checks can object.</summary>
    private static byte[] Resign(byte[] datagram, AuthKey? key = null)
    {
        var signedLength = datagram.Length - HeartbeatCodec.MacLength;
        HMACSHA256.HashData((key ?? Key1).HeartbeatKey, datagram.AsSpan(0, signedLength), datagram.AsSpan(signedLength));
        return datagram;
    }

    /// <summary>A validly signed datagram with <paramref name="extra"/> bytes inserted before the MAC.</summary>
    private static byte[] WithExtraBytes(byte[] datagram, byte[] extra) =>
        Resign([.. datagram.AsSpan(0, datagram.Length - HeartbeatCodec.MacLength), .. extra, .. new byte[HeartbeatCodec.MacLength]]);

    private static void AssertSameFrame(HeartbeatFrame expected, HeartbeatFrame actual, byte keyId)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(keyId, actual.KeyId);
        Assert.Equal(expected.Sender, actual.Sender);
        Assert.Equal(expected.Incarnation, actual.Incarnation);
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.Link, actual.Link);
        Assert.Equal(expected.NodelistDigest, actual.NodelistDigest);
        Assert.Equal(expected.EchoSeq, actual.EchoSeq);
        Assert.Equal(expected.EchoDelayMicros, actual.EchoDelayMicros);
        Assert.Equal(expected.InstalledSeq, actual.InstalledSeq);
        Assert.Equal(expected.InstalledMembers, actual.InstalledMembers);
        Assert.Equal(expected.ProposalSeq, actual.ProposalSeq);
        Assert.Equal(expected.ProposalMembers, actual.ProposalMembers);
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Rows.AsSpan(0, expected.RowCount).ToArray(), actual.Rows.AsSpan(0, actual.RowCount).ToArray());
    }

    [Fact]
    public void Constants_MatchTheDocumentedLayout()
    {
        Assert.Equal(104, HeartbeatCodec.MinDatagram);
        Assert.Equal(840, HeartbeatCodec.MaxDatagram);
        Assert.Equal(21, HeartbeatCodec.RowBytes);
        Assert.Equal(80, RowCountOffset);
    }

    [Theory]
    [InlineData(0, HeartbeatKind.Heartbeat)]
    [InlineData(1, HeartbeatKind.Heartbeat)]
    [InlineData(32, HeartbeatKind.Heartbeat)]
    [InlineData(0, HeartbeatKind.Leave)]
    [InlineData(3, HeartbeatKind.Leave)]
    public void TryRead_WrittenFrame_RoundTripsEveryField(int rows, HeartbeatKind kind)
    {
        var sent = Sample(rows, kind);
        var datagram = Encode(sent);
        var received = new HeartbeatFrame();

        var verdict = HeartbeatCodec.TryRead(datagram, Name, Ring1, received);

        Assert.Equal(DatagramVerdict.Accepted, verdict);
        Assert.Equal(6 + Name.Length + 66 + (rows * HeartbeatCodec.RowBytes) + HeartbeatCodec.MacLength, datagram.Length);
        AssertSameFrame(sent, received, keyId: 1);
    }

    [Fact]
    public void TryRead_AllZeroFields_RoundTrips()
    {
        var sent = new HeartbeatFrame { RowCount = 1 };
        sent.Rows[0] = default;
        var received = Sample(5);

        Assert.Equal(DatagramVerdict.Accepted, HeartbeatCodec.TryRead(Encode(sent), Name, Ring1, received));
        AssertSameFrame(sent, received, keyId: 1);
    }

    [Fact]
    public void TryRead_AllMaximumFields_RoundTrips()
    {
        var sent = new HeartbeatFrame
        {
            Kind = HeartbeatKind.Leave,
            Sender = new NodeId(uint.MaxValue),
            Incarnation = ulong.MaxValue,
            Seq = ulong.MaxValue,
            Link = byte.MaxValue,
            NodelistDigest = ulong.MaxValue,
            EchoSeq = ulong.MaxValue,
            EchoDelayMicros = uint.MaxValue,
            InstalledSeq = ulong.MaxValue,
            InstalledMembers = uint.MaxValue,
            ProposalSeq = ulong.MaxValue,
            ProposalMembers = uint.MaxValue,
            RowCount = 2,
        };
        sent.Rows[0] = new ConnectivityRow(byte.MaxValue, ulong.MaxValue, ulong.MaxValue, uint.MaxValue);
        sent.Rows[1] = new ConnectivityRow(31, 1, 2, 3);
        var received = new HeartbeatFrame();

        Assert.Equal(DatagramVerdict.Accepted, HeartbeatCodec.TryRead(Encode(sent), Name, Ring1, received));
        AssertSameFrame(sent, received, keyId: 1);
    }

    [Fact]
    public void Write_Frame_UsesTheDocumentedBigEndianLayout()
    {
        var datagram = Encode(Sample(1), Key2);

        Assert.Equal([(byte)'C', (byte)'D', HeartbeatCodec.Version, (byte)HeartbeatKind.Heartbeat, 2, 9], datagram[..6]);
        Assert.Equal("hacluster", Encoding.ASCII.GetString(datagram, 6, 9));
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(BodyStart)));
        Assert.Equal(0x1112131415161718UL, BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(BodyStart + 4)));
        Assert.Equal(0x33, datagram[BodyStart + 4 + 8 + 8]);
        Assert.Equal(1, datagram[RowCountOffset]);
        Assert.Equal(0, datagram[RowCountOffset + 1]);
        Assert.Equal(0xB000_0000_0000_0000UL, BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(RowCountOffset + 2)));
        var mac = HMACSHA256.HashData(Key2.HeartbeatKey.ToArray(), datagram[..^HeartbeatCodec.MacLength]);
        Assert.Equal(mac, datagram[^HeartbeatCodec.MacLength..]);
    }

    [Fact]
    public void TryRead_LongestNameAnd32Rows_IsExactlyMaxDatagramAndAccepted()
    {
        var name = Encoding.ASCII.GetBytes(new string('n', HeartbeatCodec.MaxClusterNameBytes));
        var sent = Sample(32);
        var datagram = Encode(sent, name: name);
        var received = new HeartbeatFrame();

        Assert.Equal(HeartbeatCodec.MaxDatagram, datagram.Length);
        Assert.Equal(DatagramVerdict.Accepted, HeartbeatCodec.TryRead(datagram, name, Ring1, received));
        AssertSameFrame(sent, received, keyId: 1);
    }

    [Fact]
    public void TryRead_ReusedFrame_OverwritesEveryFieldAndRowCount()
    {
        var frame = new HeartbeatFrame();
        Assert.Equal(DatagramVerdict.Accepted, HeartbeatCodec.TryRead(Encode(Sample(32)), Name, Ring1, frame));

        var second = new HeartbeatFrame { Sender = new NodeId(9), Seq = 2, RowCount = 0 };
        Assert.Equal(DatagramVerdict.Accepted, HeartbeatCodec.TryRead(Encode(second), Name, Ring1, frame));

        AssertSameFrame(second, frame, keyId: 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(HeartbeatCodec.MinDatagram - 1)]
    public void TryRead_ShorterThanMinimum_IsTruncated(int length)
    {
        Assert.Equal(DatagramVerdict.Truncated, Read(Encode(Sample(0))[..length]));
    }

    [Fact]
    public void TryRead_ValidDatagramCutShort_IsTruncatedOrMalformed()
    {
        var datagram = Encode(Sample(0));

        Assert.Equal(DatagramVerdict.Truncated, Read(datagram[..(HeartbeatCodec.MinDatagram - 1)]));

        // Long enough for the bound, too short for this name's fixed body and MAC.
        Assert.Equal(DatagramVerdict.Malformed, Read(datagram[..^1]));
    }

    [Fact]
    public void TryRead_LongerThanMaximum_IsOversizedBeforeAnyOtherCheck()
    {
        Assert.Equal(DatagramVerdict.Oversized, Read(new byte[HeartbeatCodec.MaxDatagram + 1]));
        Assert.Equal(DatagramVerdict.Oversized, Read(WithExtraBytes(Encode(Sample(32)), new byte[HeartbeatCodec.MaxDatagram])));
    }

    [Theory]
    [InlineData(0, (byte)'X')]
    [InlineData(1, (byte)'X')]
    [InlineData(0, (byte)'D')]
    public void TryRead_WrongMagic_IsBadMagic(int position, byte value)
    {
        var datagram = Encode(Sample(1));
        datagram[position] = value;

        Assert.Equal(DatagramVerdict.BadMagic, Read(datagram));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void TryRead_OtherVersion_IsUnsupportedVersion(byte version)
    {
        var datagram = Encode(Sample(1));
        datagram[2] = version;

        Assert.Equal(DatagramVerdict.UnsupportedVersion, Read(datagram));
    }

    [Theory]
    [InlineData("hacluster2")]
    [InlineData("haclustex")]
    [InlineData("haclust")]
    [InlineData("")]
    public void TryRead_OtherClusterName_IsWrongCluster(string expectedName)
    {
        Assert.Equal(DatagramVerdict.WrongCluster, Read(Encode(Sample(1)), name: Encoding.UTF8.GetBytes(expectedName)));
    }

    [Fact]
    public void TryRead_KeyIdNotInRing_IsUnknownKey()
    {
        Assert.Equal(DatagramVerdict.UnknownKey, Read(Encode(Sample(1), Key2)));
    }

    [Fact]
    public void TryRead_SameKeyIdDifferentSecret_IsBadMac()
    {
        var impostor = new AuthKey(1, Enumerable.Repeat((byte)0x99, 64).ToArray());

        Assert.Equal(DatagramVerdict.BadMac, Read(Encode(Sample(1), impostor)));
    }

    [Fact]
    public void TryRead_AnyByteFlipped_IsRejectedByTheFirstCheckThatSeesIt()
    {
        var datagram = Encode(Sample(1));
        var macCount = 0;
        for (var position = 0; position < datagram.Length; position++)
        {
            var damaged = datagram.ToArray();
            damaged[position] ^= 0xFF;
            var expected = position switch
            {
                0 or 1 => DatagramVerdict.BadMagic,
                2 => DatagramVerdict.UnsupportedVersion,
                KeyIdOffset => DatagramVerdict.UnknownKey,
                NameLengthOffset => DatagramVerdict.Malformed, // 9 ^ 0xFF = 246: longer than any cluster name
                < BodyStart and > NameLengthOffset => DatagramVerdict.WrongCluster,
                _ => DatagramVerdict.BadMac, // the kind byte, the whole body and the MAC itself
            };
            macCount += expected == DatagramVerdict.BadMac ? 1 : 0;

            var verdict = Read(damaged);

            Assert.True(expected == verdict, $"byte {position} flipped: expected {expected}, got {verdict}");
        }

        Assert.Equal(datagram.Length - BodyStart + 1, macCount);
    }

    [Fact]
    public void TryRead_AnySingleBitFlippedInKindOrBodyOrMac_IsBadMac()
    {
        var datagram = Encode(Sample(2));
        var positions = new[] { KindOffset }.Concat(Enumerable.Range(BodyStart, datagram.Length - BodyStart));
        foreach (var position in positions)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var damaged = datagram.ToArray();
                damaged[position] ^= (byte)(1 << bit);

                var verdict = Read(damaged);

                Assert.True(verdict == DatagramVerdict.BadMac, $"byte {position} bit {bit} flipped: got {verdict}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void TryRead_UnknownKindWithValidMac_IsMalformed(byte kind)
    {
        var datagram = Encode(Sample(1));
        datagram[KindOffset] = kind;

        Assert.Equal(DatagramVerdict.BadMac, Read(datagram));
        Assert.Equal(DatagramVerdict.Malformed, Read(Resign(datagram)));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    [InlineData(0, 1)]
    [InlineData(32, 31)]
    public void TryRead_RowCountNotMatchingLengthWithValidMac_IsMalformed(int rowsWritten, byte rowCountClaimed)
    {
        var datagram = Encode(Sample(rowsWritten));
        datagram[RowCountOffset] = rowCountClaimed;

        Assert.Equal(DatagramVerdict.Malformed, Read(Resign(datagram)));
    }

    [Fact]
    public void TryRead_TrailingByteAfterRowsWithValidMac_IsMalformed()
    {
        Assert.Equal(DatagramVerdict.Malformed, Read(WithExtraBytes(Encode(Sample(1)), [0])));
    }

    [Fact]
    public void TryRead_33RowsWithValidMac_IsMalformed()
    {
        // With a 9-byte name 33 rows still fit under MaxDatagram, so only the row bound can refuse them.
        var datagram = WithExtraBytes(Encode(Sample(32)), new byte[HeartbeatCodec.RowBytes]);
        datagram[RowCountOffset] = 33;
        Resign(datagram);

        Assert.True(datagram.Length <= HeartbeatCodec.MaxDatagram);
        Assert.Equal(DatagramVerdict.Malformed, Read(datagram));
    }

    [Theory]
    [InlineData(65)]
    [InlineData(60)]
    public void TryRead_NameLengthBeyondBoundOrDatagram_IsMalformed(byte nameLength)
    {
        var datagram = Encode(Sample(0));
        datagram[NameLengthOffset] = nameLength;

        Assert.Equal(DatagramVerdict.Malformed, Read(datagram));
    }

    [Fact]
    public void TryRead_ClusterNameLongerThan64Bytes_IsMalformed()
    {
        // 33 'é' are 66 UTF-8 bytes: the codec cannot carry such a name.
        var name = Encoding.UTF8.GetBytes(new string('é', 33));
        var datagram = Encode(Sample(0), name: name);

        Assert.Equal(DatagramVerdict.Malformed, HeartbeatCodec.TryRead(datagram, name, Ring1, new HeartbeatFrame()));
    }

    [Fact]
    public void TryRead_RingWithTwoKeys_AcceptsBothDuringRotation()
    {
        var ring = new AuthKeyRing(Key2, [Key1]);
        var fromOld = new HeartbeatFrame();
        var fromNew = new HeartbeatFrame();

        Assert.Equal(DatagramVerdict.Accepted, HeartbeatCodec.TryRead(Encode(Sample(1), Key1), Name, ring, fromOld));
        Assert.Equal(DatagramVerdict.Accepted, HeartbeatCodec.TryRead(Encode(Sample(1), Key2), Name, ring, fromNew));

        Assert.Equal(1, fromOld.KeyId);
        Assert.Equal(2, fromNew.KeyId);
        AssertSameFrame(Sample(1), fromNew, keyId: 2);
        Assert.Equal(DatagramVerdict.UnknownKey, Read(Encode(Sample(1), Key2), new AuthKeyRing(Key1, [])));
    }
}
