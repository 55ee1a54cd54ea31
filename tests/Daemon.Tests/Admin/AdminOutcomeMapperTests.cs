using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using ClusterD.Daemon.Admin;
using Grpc.Core;

namespace ClusterD.Daemon.Tests.Admin;

public sealed class AdminOutcomeMapperTests
{
    public static TheoryData<AdminOutcomeCode, StatusCode> Refusals => new()
    {
        { AdminOutcomeCode.NotFound, StatusCode.NotFound },
        { AdminOutcomeCode.InvalidArgument, StatusCode.InvalidArgument },
        { AdminOutcomeCode.FailedPrecondition, StatusCode.FailedPrecondition },
        { AdminOutcomeCode.Unavailable, StatusCode.Unavailable },
    };

    [Fact]
    public void ToReply_Ok_ReplyCarriesTheMessage()
    {
        var reply = AdminOutcomeMapper.ToReply(AdminOutcome.Ok("node2 is in standby"));

        Assert.Equal("node2 is in standby", reply.Message);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void ToReply_Refused_StatusCodeMessageAndRefusalTrailer(AdminOutcomeCode code, StatusCode expected)
    {
        var e = Assert.Throws<RpcException>(() => AdminOutcomeMapper.ToReply(new AdminOutcome(code, "why not")));

        Assert.Equal((expected, "why not"), (e.StatusCode, e.Status.Detail));
        Assert.Equal(expected.ToString(), e.Trailers.GetValue(AdminTrailers.Refusal));
    }
}
