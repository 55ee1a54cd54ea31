namespace ClusterD.Agents;

/// <summary>The standard an agent follows, the first part of an <see cref="AgentName"/>.</summary>
public enum AgentClass
{
    /// <summary><c>ocf:PROVIDER:TYPE</c>: an OCF script under <c>$OCF_ROOT/resource.d/PROVIDER/TYPE</c>, or a native agent registered for that name.</summary>
    Ocf,

    /// <summary><c>lsb:NAME</c>: an init script in <c>/etc/init.d</c>.</summary>
    Lsb,

    /// <summary><c>systemd:UNIT</c>: a unit driven through <c>systemctl</c>.</summary>
    Systemd,
}
