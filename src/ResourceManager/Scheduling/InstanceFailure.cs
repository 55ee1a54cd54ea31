namespace ClusterD.ResourceManager.Scheduling;

/// <summary>The failure that decides what happens to one primitive on one node.</summary>
internal sealed record InstanceFailure(FailureKind Kind, string Operation, int RcCode, bool WasPromoted);
