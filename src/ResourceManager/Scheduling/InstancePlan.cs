using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// One primitive instance on one node: its role now, its role after the transition, and whether it
/// must go through stop and start on the way (recovery of a failure, or a restart because
/// something it is ordered after restarts on that node).
/// </summary>
internal sealed class InstancePlan(string resource, string node, ResourceRole current, ResourceRole target)
{
    public string Resource { get; } = resource;

    public string Node { get; } = node;

    public ResourceRole Current { get; } = current;

    public ResourceRole Target { get; } = target;

    public bool Recover { get; set; }

    public bool Demote => Current == ResourceRole.Promoted && (Target != ResourceRole.Promoted || Recover);

    public bool Stop => Current != ResourceRole.Stopped && (Target == ResourceRole.Stopped || Recover);

    public bool Start => Target != ResourceRole.Stopped && (Current == ResourceRole.Stopped || Recover);

    public bool Promote => Target == ResourceRole.Promoted && (Current != ResourceRole.Promoted || Recover);

    /// <summary>Stays active here but goes down and up again in this transition.</summary>
    public bool Cycles => Stop && Start;

    public bool StaysUp => Current != ResourceRole.Stopped && Target != ResourceRole.Stopped && !Recover;
}
