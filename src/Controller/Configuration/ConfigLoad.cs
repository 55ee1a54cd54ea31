using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Configuration;

/// <summary>
/// What <see cref="ConfigStore.Load"/> found: the configuration to run with (empty, version 0/0, when no
/// intact generation exists), the file it came from (null for the empty one), and a warning for every
/// generation skipped and why.
/// </summary>
public sealed record ConfigLoad(ClusterConfig Config, string? Source, ImmutableArray<string> Warnings);
