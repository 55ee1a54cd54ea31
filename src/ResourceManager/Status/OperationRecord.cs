using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// The last result of one operation (name + interval) of a primitive on a node, as the CIB's
/// <c>lrm_rsc_op</c> records it: OCF return code, execution status (0 done, -1 pending, others
/// Pacemaker's <c>PCMK_EXEC_*</c> errors such as 2 timeout), call id (higher is later) and when the
/// return code last changed.
/// </summary>
public sealed record OperationRecord(
    string Resource,
    string Node,
    string Operation,
    Duration Interval,
    int RcCode,
    int CallId,
    int OpStatus = 0,
    DateTimeOffset? LastRcChange = null,
    Duration? ExecTime = null)
{
    public bool Succeeded => OpStatus == 0 && RcCode is 0 or 7 or 8;
}
