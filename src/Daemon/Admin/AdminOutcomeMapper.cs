using ClusterD.Admin.V1;
using ClusterD.Controller.Core;
using Grpc.Core;

namespace ClusterD.Daemon.Admin;

/// <summary>
/// Translates the controller's answer to an operator command into the admin API's: success is a reply
/// with the message; a refusal is the matching gRPC status with the message and the
/// <see cref="AdminTrailers.Refusal"/> trailer.
/// </summary>
internal static class AdminOutcomeMapper
{
    public static StatusCode StatusCodeOf(AdminOutcomeCode code) => code switch
    {
        AdminOutcomeCode.Ok => StatusCode.OK,
        AdminOutcomeCode.NotFound => StatusCode.NotFound,
        AdminOutcomeCode.InvalidArgument => StatusCode.InvalidArgument,
        AdminOutcomeCode.FailedPrecondition => StatusCode.FailedPrecondition,
        AdminOutcomeCode.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <exception cref="RpcException">The command was refused.</exception>
    public static CommandReply ToReply(AdminOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Succeeded ? new CommandReply { Message = outcome.Message } : throw Refusal(StatusCodeOf(outcome.Code), outcome.Message);
    }

    public static RpcException Refusal(StatusCode code, string message) =>
        new(new Status(code, message), new Metadata { { AdminTrailers.Refusal, code.ToString() } });
}
