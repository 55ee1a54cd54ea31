using System.Globalization;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>
/// Builds the status the scheduler plans from out of what the cluster reported, never out of what the DC
/// remembers doing: each node's operation history (roles are replayed from it, as Pacemaker unpacks
/// <c>lrm_rsc_op</c>), each node's own transient attributes (promotion scores, fail counts, shutdown),
/// membership (online means a member whose history the DC has), and which nodes are unclean.
/// </summary>
public static class StatusBuilder
{
    public static ClusterStatus Build(
        ClusterConfig config,
        IEnumerable<string> nodes,
        ViewInput? view,
        IReadOnlySet<string> online,
        IReadOnlySet<string> unclean,
        IReadOnlyDictionary<string, IReadOnlyList<OperationRecord>> histories,
        IReadOnlyDictionary<string, NodeAttributeSet> attributes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(nodes);
        var index = ConfigIndex.Of(config);
        var names = nodes.ToList();
        var nodeStatus = names.Select(name =>
        {
            var own = attributes.GetValueOrDefault(name) ?? NodeAttributeSet.Empty;
            var transient = AttributeMap.Create(own.Values.Where(p => !IsFailureAttribute(p.Key) && p.Key != NodeAttributeSet.Shutdown));
            return new NodeStatus(
                name,
                Online: online.Contains(name) && !unclean.Contains(name),
                Standby: own.Get(NodeAttributeSet.Shutdown) is not null,
                Unclean: unclean.Contains(name),
                Attributes: transient);
        });

        var records = histories.Where(h => names.Contains(h.Key)).SelectMany(h => h.Value).ToList();
        var resources = records
            .GroupBy(r => r.Resource, StringComparer.Ordinal)
            .Select(g => new ResourceStatus(
                g.Key,
                (index.FindResource(g.Key) as Primitive)?.Agent.ToString() ?? "",
                [.. g.GroupBy(r => r.Node, StringComparer.Ordinal)
                    .Select(n => new ResourceInstance(n.Key, OperationHistory.RoleOf(n, index.IsPromotable(g.Key))))
                    .Where(i => i.Role != InstanceRole.Stopped)
                    .OrderBy(i => i.Node, StringComparer.Ordinal)]))
            .OrderBy(r => r.Id, StringComparer.Ordinal);
        var failcounts = attributes
            .Where(a => names.Contains(a.Key))
            .SelectMany(a => a.Value.Values
                .Where(p => p.Key.StartsWith(NodeAttributeSet.FailCountPrefix, StringComparison.Ordinal) && Score.TryParse(p.Value, out _))
                .Select(p =>
                {
                    var resource = p.Key[NodeAttributeSet.FailCountPrefix.Length..];
                    var last = a.Value.Get(NodeAttributeSet.LastFailurePrefix + resource);
                    return new Failcount(resource, a.Key, Score.Parse(p.Value),
                        long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null);
                }))
            .Where(f => f.Count > Score.Zero)
            .OrderBy(f => f.Resource, StringComparer.Ordinal).ThenBy(f => f.Node, StringComparer.Ordinal);
        return new ClusterStatus
        {
            Quorate = view?.Quorate ?? false,
            Dc = view?.Dc,
            RingId = view?.RingId,
            Nodes = [.. nodeStatus],
            Resources = [.. resources],
            Failcounts = [.. failcounts],
            Operations = [.. records.OrderBy(r => r.Node, StringComparer.Ordinal).ThenBy(r => r.CallId)],
        };
    }

    private static bool IsFailureAttribute(string name) =>
        name.StartsWith(NodeAttributeSet.FailCountPrefix, StringComparison.Ordinal) || name.StartsWith(NodeAttributeSet.LastFailurePrefix, StringComparison.Ordinal);
}
