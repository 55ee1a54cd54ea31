namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// What a partition without quorum does (<c>no-quorum-policy</c>, default <see cref="Stop"/>):
/// stop everything, freeze (keep what runs, start nothing), ignore quorum, or demote promoted
/// instances and stop the rest.
/// </summary>
public enum NoQuorumPolicy
{
    Stop,
    Freeze,
    Ignore,
    Demote,
}
