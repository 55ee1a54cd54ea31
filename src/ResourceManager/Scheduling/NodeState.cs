namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// One node as placement sees it. <see cref="Lost"/>: its resources' state is unknown (unclean, or a
/// stop failed there) and nothing may run on it; <see cref="Fence"/>: the transition fences it first.
/// </summary>
internal sealed class NodeState(string name, IReadOnlyDictionary<string, string> attributes)
{
    public string Name { get; } = name;

    /// <summary>Permanent and transient node attributes plus <c>#uname</c> and <c>#id</c>, for rules and promotion scores.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; } = attributes;

    public bool Online { get; set; }

    public bool Standby { get; set; }

    /// <summary>Its resources may still run and nothing can act there: unclean, or a stop failed and it is to be fenced.</summary>
    public bool Lost { get; set; }

    /// <summary>Up but not joined yet: no action can run here, what is active here stays (<see cref="ClusterView.IsHeldOnPendingNode"/>).</summary>
    public bool Pending { get; set; }

    /// <summary>A fence action for this node is part of the transition.</summary>
    public bool Fence { get; set; }

    /// <summary>Resources may be placed here.</summary>
    public bool CanRun => Online && !Standby && !Lost && !Pending;

    /// <summary>Resources that are active here are really active (the node is up and reachable).</summary>
    public bool Reachable => Online && !Lost;
}
