using ClusterD.Admin.V1;
using ClusterD.Daemon.Peers;

namespace ClusterD.Daemon.Tests.Peers;

public sealed class MessagingBenchTests
{
    private static BenchMessagingRequest Request(uint count, uint payload, BenchMessagingRequest.Types.Mode mode = BenchMessagingRequest.Types.Mode.Stream) =>
        new() { Node = "node2", Count = count, PayloadBytes = payload, Mode = mode };

    [Fact]
    public void Problem_AtTheBounds_None()
    {
        Assert.Null(MessagingBench.Problem(Request(MessagingBench.MaxStreamCount, MessagingBench.MaxPayloadBytes)));
        Assert.Null(MessagingBench.Problem(Request(MessagingBench.MaxRoundTripCount, 0, BenchMessagingRequest.Types.Mode.RoundTrip)));
    }

    [Fact]
    public void Problem_OneAboveEachBound_SaysWhichAndTheLimit()
    {
        Assert.Equal("count 10000001: must be 1 to 10000000 for a stream", MessagingBench.Problem(Request(MessagingBench.MaxStreamCount + 1, 64)));
        Assert.Equal("count 1000001: must be 1 to 1000000 for round trips",
            MessagingBench.Problem(Request(MessagingBench.MaxRoundTripCount + 1, 64, BenchMessagingRequest.Types.Mode.RoundTrip)));
        Assert.Equal("payload_bytes 65537: must be at most 65536", MessagingBench.Problem(Request(1, MessagingBench.MaxPayloadBytes + 1)));
        Assert.Equal("count 0: must be 1 to 10000000 for a stream", MessagingBench.Problem(Request(0, 64)));
    }
}
