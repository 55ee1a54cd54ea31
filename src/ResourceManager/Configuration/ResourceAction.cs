namespace ClusterD.ResourceManager.Configuration;

/// <summary>An action an order constraint can refer to.</summary>
public enum ResourceAction
{
    Start,
    Stop,
    Promote,
    Demote,
}
