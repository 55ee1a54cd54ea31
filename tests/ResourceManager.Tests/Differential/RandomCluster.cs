using System.Collections.Immutable;
using System.Xml.Linq;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// A random but valid cluster for one seed, as a Pacemaker CIB (configuration and status) and the
/// state it starts from: the role of every primitive on every node where it is active (Failed
/// instances count as the role they held). The same seed always gives the same text.
/// </summary>
internal sealed record RandomCluster(
    int Seed,
    string Xml,
    ImmutableDictionary<(string Resource, string Node), string> InitialRoles,
    ImmutableHashSet<string> Promotable,
    ImmutableArray<string> Nodes)
{
    /// <summary>Generates the cluster of <paramref name="seed"/> (see <see cref="ClusterGenerator"/>).</summary>
    public static RandomCluster Generate(int seed) => new ClusterGenerator(seed).Generate();

    public XDocument Document() => XDocument.Parse(Xml);
}
