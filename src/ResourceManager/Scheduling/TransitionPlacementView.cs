namespace ClusterD.ResourceManager.Scheduling;

/// <summary>One primitive instance after the transition; role is Started, Unpromoted or Promoted.</summary>
public sealed record TransitionPlacementView(string Resource, string Node, string Role);
