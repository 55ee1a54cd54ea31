namespace ClusterD.ResourceManager.Configuration;

/// <summary>A location constraint's <c>resource-discovery</c>: whether probes run on the node.</summary>
public enum ResourceDiscovery
{
    Always,
    Never,
    Exclusive,
}
