namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// What to do when an operation fails (<c>on-fail</c>). Pacemaker's default is <see cref="Restart"/>,
/// except for stop, where it is <see cref="Fence"/> when fencing is enabled and <see cref="Block"/> otherwise.
/// </summary>
public enum OnFailPolicy
{
    Ignore,
    Block,
    Stop,
    Restart,
    Fence,
    Standby,
    Demote,
}
