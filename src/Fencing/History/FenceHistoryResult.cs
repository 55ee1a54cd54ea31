namespace ClusterD.Fencing.History;

/// <summary>Where a fencing operation stands.</summary>
public enum FenceHistoryResult
{
    /// <summary>Requested and not finished: choosing devices, waiting for a delay, or running an agent.</summary>
    Pending,

    /// <summary>A device confirmed the target off.</summary>
    Succeeded,

    /// <summary>No device could fence the target within the timeout and rounds, or the request was cancelled.</summary>
    Failed,
}
