using System.Xml.Linq;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// Which INFINITY and -INFINITY colocations of a cluster a final placement (<c>m1p@n1=Promoted</c>)
/// breaks: a follower (in its role) on a node where its primary is not (in its role), or sitting with
/// it against a -INFINITY one. A disagreement where Pacemaker's placement breaks one is a deliberate
/// difference: ClusterD keeps mandatory colocations (docs/scheduler.md).
/// </summary>
internal static class MandatoryColocations
{
    /// <summary>For example <c>col-m3-m2-33 (-INFINITY) on n3</c>, in constraint order.</summary>
    public static IReadOnlyList<string> BrokenBy(RandomCluster cluster, IReadOnlySet<string> placement)
    {
        var document = cluster.Document();
        var primitives = PrimitivesByResource(document);
        var broken = new List<string>();
        foreach (var c in document.Descendants("rsc_colocation"))
        {
            var score = (string?)c.Attribute("score");
            if (score is not ("INFINITY" or "+INFINITY" or "-INFINITY"))
            {
                continue;
            }

            var follower = Nodes(placement, primitives, (string)c.Attribute("rsc")!, (string?)c.Attribute("rsc-role"));
            var primary = Nodes(placement, primitives, (string)c.Attribute("with-rsc")!, (string?)c.Attribute("with-rsc-role"));
            var against = score == "-INFINITY" ? follower.Where(primary.Contains) : follower.Where(n => !primary.Contains(n));
            broken.AddRange(against.Order(StringComparer.Ordinal).Select(n => $"{(string?)c.Attribute("id")} ({score}) on {n}"));
        }

        return broken;
    }

    /// <summary>The nodes where any primitive of <paramref name="resource"/> is placed, in <paramref name="role"/> if one is given.</summary>
    private static HashSet<string> Nodes(IReadOnlySet<string> placement, Dictionary<string, List<string>> primitives, string resource, string? role)
    {
        var nodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in placement)
        {
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var placedRole = entry[(equals + 1)..];
            if (primitives.GetValueOrDefault(resource)?.Contains(entry[..at]) == true
                && (role is null or "Started" || role == placedRole || (role == "Slave" && placedRole == "Unpromoted") || (role == "Master" && placedRole == "Promoted")))
            {
                nodes.Add(entry[(at + 1)..equals]);
            }
        }

        return nodes;
    }

    private static Dictionary<string, List<string>> PrimitivesByResource(XDocument document)
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var resources = document.Descendants("resources").FirstOrDefault();
        foreach (var element in resources?.Descendants().Where(e => e.Name.LocalName is "primitive" or "group" or "clone") ?? [])
        {
            map[(string)element.Attribute("id")!] = [.. element.DescendantsAndSelf("primitive").Select(p => (string)p.Attribute("id")!)];
        }

        return map;
    }
}
