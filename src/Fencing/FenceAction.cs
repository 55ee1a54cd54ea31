namespace ClusterD.Fencing;

/// <summary>The actions of the fence-agents API (<c>action=</c> on the agent's stdin).</summary>
public enum FenceAction
{
    /// <summary>Power the target off and confirm it is off.</summary>
    Off,

    /// <summary>Power the target on (unfencing; never used to fence).</summary>
    On,

    /// <summary>Power off, confirm, then power on; succeeds once the off part is confirmed.</summary>
    Reboot,

    /// <summary>The target's power state: exit 0 on, 2 off (<see cref="FenceExitCodes"/>).</summary>
    Status,

    /// <summary>The plugs (ports, VM names) the device controls, one <c>plug,alias</c> per line.</summary>
    List,

    /// <summary>Whether the device itself is reachable and usable.</summary>
    Monitor,

    /// <summary>The agent's XML self-description (parameters, actions).</summary>
    Metadata,
}
