using System.Text.Json;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// A Resource Manager answer: its status, its JSON body (null when empty or not JSON), the ARM error
/// code and message when it has one, and the ids ARM support needs to find the request.
/// </summary>
internal sealed record ArmReply(int Status, JsonElement? Body, string? ErrorCode, string? ErrorMessage, string ClientRequestId, string? CorrelationId)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The ids for a message: <c>client request id X, correlation id Y</c>.</summary>
    public string Ids => CorrelationId is null ? $"client request id {ClientRequestId}" : $"client request id {ClientRequestId}, correlation id {CorrelationId}";
}
