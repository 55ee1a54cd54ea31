namespace ClusterD.ResourceManager.Status;

/// <summary>One instance of a primitive: on which node, in which role.</summary>
public sealed record ResourceInstance(string Node, InstanceRole Role);
