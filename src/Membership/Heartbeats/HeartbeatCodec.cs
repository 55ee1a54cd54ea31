using System.Buffers.Binary;
using ClusterD.Messaging.Security;

namespace ClusterD.Membership.Heartbeats;

/// <summary>
/// The membership datagram, big-endian:
/// <code>
/// magic "CD" | version 1 | kind | key id | name length | cluster name
/// sender u32 | incarnation u64 | seq u64 | link u8 | nodelist digest u64
/// echo seq u64 | echo delay us u32 | installed seq u64 | installed members u32
/// proposal seq u64 | proposal members u32 | row count u8 | rows (index u8, incarnation u64, version u64, heard u32)*
/// HMAC-SHA256 over everything before it (32 bytes)
/// </code>
/// Pure and allocation-free. Checks run cheapest first and the MAC is verified before any field
/// beyond the cluster name is trusted.
/// </summary>
public static class HeartbeatCodec
{
    public const byte Version = 1;
    public const int MacLength = MacSigner.MacLength;
    public const int MaxClusterNameBytes = 64;
    public const int RowBytes = 1 + 8 + 8 + 4;
    private const int PrefixBytes = 6;
    private const int FixedBytes = 4 + 8 + 8 + 1 + 8 + 8 + 4 + 8 + 4 + 8 + 4 + 1;

    /// <summary>Smallest valid datagram: empty cluster name is not allowed, but the bound stays simple.</summary>
    public const int MinDatagram = PrefixBytes + FixedBytes + MacLength;

    /// <summary>Largest valid datagram (a 64-byte name and 32 rows: 840 bytes), below any MTU minus headers.</summary>
    public const int MaxDatagram = PrefixBytes + MaxClusterNameBytes + FixedBytes + (Configuration.NodeList.MaxNodes * RowBytes) + MacLength;

    public static int Write(Span<byte> destination, HeartbeatFrame frame, ReadOnlySpan<byte> clusterName, AuthKey key)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(key);
        destination[0] = (byte)'C';
        destination[1] = (byte)'D';
        destination[2] = Version;
        destination[3] = (byte)frame.Kind;
        destination[4] = key.Id;
        destination[5] = (byte)clusterName.Length;
        clusterName.CopyTo(destination[PrefixBytes..]);
        var w = new SpanWriter(destination, PrefixBytes + clusterName.Length);
        w.U32(frame.Sender.Value);
        w.U64(frame.Incarnation);
        w.U64(frame.Seq);
        w.U8(frame.Link);
        w.U64(frame.NodelistDigest);
        w.U64(frame.EchoSeq);
        w.U32(frame.EchoDelayMicros);
        w.U64(frame.InstalledSeq);
        w.U32(frame.InstalledMembers);
        w.U64(frame.ProposalSeq);
        w.U32(frame.ProposalMembers);
        w.U8((byte)frame.RowCount);
        for (var i = 0; i < frame.RowCount; i++)
        {
            var row = frame.Rows[i];
            w.U8(row.Index);
            w.U64(row.Incarnation);
            w.U64(row.Version);
            w.U32(row.Heard);
        }

        var length = w.Position;
        key.Heartbeat.Sign(destination[..length], destination.Slice(length, MacLength));
        return length + MacLength;
    }

    public static DatagramVerdict TryRead(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> clusterName, AuthKeyRing keys, HeartbeatFrame frame)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(frame);
        if (datagram.Length > MaxDatagram)
        {
            return DatagramVerdict.Oversized;
        }

        if (datagram.Length < MinDatagram)
        {
            return DatagramVerdict.Truncated;
        }

        if (datagram[0] != 'C' || datagram[1] != 'D')
        {
            return DatagramVerdict.BadMagic;
        }

        if (datagram[2] != Version)
        {
            return DatagramVerdict.UnsupportedVersion;
        }

        var nameLength = datagram[5];
        var bodyStart = PrefixBytes + nameLength;
        if (nameLength > MaxClusterNameBytes || bodyStart + FixedBytes + MacLength > datagram.Length)
        {
            return DatagramVerdict.Malformed;
        }

        if (!datagram.Slice(PrefixBytes, nameLength).SequenceEqual(clusterName))
        {
            return DatagramVerdict.WrongCluster;
        }

        if (!keys.TryGet(datagram[4], out var key))
        {
            return DatagramVerdict.UnknownKey;
        }

        var signed = datagram[..^MacLength];
        if (!key.Heartbeat.Verify(signed, datagram[^MacLength..]))
        {
            return DatagramVerdict.BadMac;
        }

        var kind = (HeartbeatKind)datagram[3];
        if (kind is not (HeartbeatKind.Heartbeat or HeartbeatKind.Leave))
        {
            return DatagramVerdict.Malformed;
        }

        var r = new SpanReader(signed, bodyStart);
        frame.Kind = kind;
        frame.KeyId = key.Id;
        frame.Sender = new NodeId(r.U32());
        frame.Incarnation = r.U64();
        frame.Seq = r.U64();
        frame.Link = r.U8();
        frame.NodelistDigest = r.U64();
        frame.EchoSeq = r.U64();
        frame.EchoDelayMicros = r.U32();
        frame.InstalledSeq = r.U64();
        frame.InstalledMembers = r.U32();
        frame.ProposalSeq = r.U64();
        frame.ProposalMembers = r.U32();
        var rowCount = r.U8();
        if (rowCount > frame.Rows.Length || r.Position + (rowCount * RowBytes) != signed.Length)
        {
            return DatagramVerdict.Malformed;
        }

        for (var i = 0; i < rowCount; i++)
        {
            frame.Rows[i] = new ConnectivityRow(r.U8(), r.U64(), r.U64(), r.U32());
        }

        frame.RowCount = rowCount;
        return DatagramVerdict.Accepted;
    }

    private ref struct SpanWriter(Span<byte> span, int position)
    {
        private readonly Span<byte> _span = span;

        public int Position { get; private set; } = position;

        public void U8(byte v) => _span[Position++] = v;

        public void U32(uint v)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_span[Position..], v);
            Position += 4;
        }

        public void U64(ulong v)
        {
            BinaryPrimitives.WriteUInt64BigEndian(_span[Position..], v);
            Position += 8;
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> span, int position)
    {
        private readonly ReadOnlySpan<byte> _span = span;

        public int Position { get; private set; } = position;

        public byte U8() => _span[Position++];

        public uint U32()
        {
            var v = BinaryPrimitives.ReadUInt32BigEndian(_span[Position..]);
            Position += 4;
            return v;
        }

        public ulong U64()
        {
            var v = BinaryPrimitives.ReadUInt64BigEndian(_span[Position..]);
            Position += 8;
            return v;
        }
    }
}
