namespace ClusterD.ResourceManager.Scheduling;

/// <summary>One action: op is start, stop, promote, demote, monitor, fence or notify; after lists the ids it waits for.</summary>
public sealed record TransitionActionView(string Id, string Op, string Resource, string Node, IReadOnlyList<string> After);
