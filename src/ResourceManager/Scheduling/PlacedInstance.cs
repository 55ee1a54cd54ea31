using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// Where a primitive (or one instance of a clone's primitive) runs once the transition is done, in
/// which role: <see cref="ResourceRole.Started"/>, <see cref="ResourceRole.Unpromoted"/> or
/// <see cref="ResourceRole.Promoted"/>.
/// </summary>
public sealed record PlacedInstance(string Resource, string Node, ResourceRole Role);
