namespace ClusterD.ResourceManager.Status;

/// <summary>What one instance of a primitive is doing on one node, as <c>clusterctl status</c> shows it.</summary>
public enum InstanceRole
{
    Stopped,
    Started,
    Unpromoted,
    Promoted,

    /// <summary>The last action or monitor failed; the instance may or may not be running.</summary>
    Failed,
}
