namespace ClusterD.Cli.Rendering;

/// <summary>One named phase of a failover (detection, fencing, an action...) and how long it took.</summary>
internal sealed record EventPhaseView(string Name, long DurationMs);
