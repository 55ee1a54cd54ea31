namespace ClusterD.Controller.Configuration;

/// <summary>Which configuration a node keeps when it meets another node's (<see cref="ConfigMerge.Decide"/>).</summary>
public enum ConfigMergeOutcome
{
    /// <summary>Same version and same content: nothing to do.</summary>
    Same,

    /// <summary>The local configuration wins; the peer should take it.</summary>
    KeepLocal,

    /// <summary>The peer's configuration wins: persist it and run with it.</summary>
    TakeRemote,
}
