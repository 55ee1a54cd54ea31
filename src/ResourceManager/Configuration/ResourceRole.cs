namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A role in a constraint, an operation or <c>target-role</c>. <c>Master</c> and <c>Slave</c>
/// (Pacemaker before 2.1) are read as <see cref="Promoted"/> and <see cref="Unpromoted"/>.
/// </summary>
public enum ResourceRole
{
    Stopped,
    Started,
    Unpromoted,
    Promoted,
}
