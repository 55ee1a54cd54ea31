using System.Text;
using BenchmarkDotNet.Attributes;
using ClusterD.Membership;
using ClusterD.Membership.Heartbeats;
using ClusterD.Messaging.Security;

namespace ClusterD.Benchmarks.Membership;

/// <summary>The heartbeat path: build + authenticate, and verify + parse, one datagram (target: no allocation).</summary>
public class HeartbeatCodecBenchmarks
{
    private readonly byte[] _clusterName = Encoding.UTF8.GetBytes("hacluster");
    private readonly byte[] _buffer = new byte[HeartbeatCodec.MaxDatagram];
    private readonly HeartbeatFrame _frame = new();
    private readonly HeartbeatFrame _decoded = new();
    private AuthKeyRing _keys = null!;
    private byte[] _datagram = null!;

    /// <summary>Connectivity rows carried: 2 for the seed's two-node cluster, 16 for a large one.</summary>
    [Params(2, 16)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = new AuthKeyRing(AuthKey.Generate(1), []);
        _frame.Sender = new NodeId(1);
        _frame.Incarnation = 1_764_000_000_000;
        _frame.Seq = 42;
        _frame.NodelistDigest = 0x1234_5678_9abc_def0;
        _frame.EchoSeq = 41;
        _frame.EchoDelayMicros = 150;
        _frame.InstalledSeq = _frame.ProposalSeq = 7;
        _frame.InstalledMembers = _frame.ProposalMembers = (1u << Nodes) - 1;
        _frame.RowCount = Nodes;
        for (var i = 0; i < Nodes; i++)
        {
            _frame.Rows[i] = new ConnectivityRow((byte)i, 1_764_000_000_000 + (ulong)i, 3, (1u << Nodes) - 1);
        }

        _datagram = _buffer[..HeartbeatCodec.Write(_buffer, _frame, _clusterName, _keys.Sending)];
    }

    [Benchmark]
    public int BuildAndAuthenticate() => HeartbeatCodec.Write(_buffer, _frame, _clusterName, _keys.Sending);

    [Benchmark]
    public DatagramVerdict VerifyAndParse() => HeartbeatCodec.TryRead(_datagram, _clusterName, _keys, _decoded);
}
