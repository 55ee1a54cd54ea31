namespace ClusterD.ResourceManager.Scheduling;

/// <summary>How bad the last failure of a primitive on a node is, after on-fail and failure-timeout.</summary>
internal enum FailureKind
{
    None,

    /// <summary>rc 1, 7 from a recurring monitor, 9, timeouts: recover (stop, start) in place until migration-threshold.</summary>
    Soft,

    /// <summary>rc 2, 3, 4, 5, or a failed start: never again on this node.</summary>
    Hard,

    /// <summary>rc 6 (not configured): never again anywhere.</summary>
    Fatal,

    /// <summary>on-fail=stop: stop the resource and leave it stopped.</summary>
    StopResource,

    /// <summary>on-fail=block, or a stop failed without fencing: leave the resource alone.</summary>
    Block,

    /// <summary>on-fail=demote on a promoted instance: demote it and do not promote it here.</summary>
    Demote,
}
