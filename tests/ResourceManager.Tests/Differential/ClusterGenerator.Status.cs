using System.Globalization;
using System.Xml.Linq;
using ClusterD.CibKit;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// The status section: a <c>node_state</c> per node, promotion scores (<c>master-PRIM</c>), fail counts
/// and an operation history per primitive and node written as Pacemaker writes it (<c>_last_0</c>,
/// <c>_last_failure_0</c>, recurring monitors) with the digest of a primitive without parameters, so
/// nothing restarts for a changed definition. Instances run, fail, are Promoted, or are active on
/// more nodes than they may be.
/// </summary>
internal sealed partial class ClusterGenerator
{
    private readonly Dictionary<(string Resource, string Node), string> _roles = [];
    private readonly Dictionary<(string Resource, string Node), Instance> _instances = [];

    private enum Failure
    {
        None,
        Monitor,
        Start,
        Stop,
    }

    /// <summary>One primitive on one node: its role (null: stopped), what failed, the monitor's rc and the fail count.</summary>
    private sealed record Instance(string? Role, Failure Failure = Failure.None, int Rc = 0, string? FailCount = null);

    private IEnumerable<string> Eligible => _nodes.Where(n => _kinds[n] != NodeKind.Offline);

    private XElement Status()
    {
        foreach (var top in _tops)
        {
            Assign(top);
        }

        foreach (var key in _instances.Keys.ToList())
        {
            _instances[key] = WithFailure(key.Resource, _instances[key]);
        }

        foreach (var ((resource, node), instance) in _instances.Where(i => i.Value.Role is not null))
        {
            _roles[(resource, node)] = instance.Role!;
        }

        return new XElement("status", _nodes.Select(NodeState));
    }

    private void Assign(Top top)
    {
        var eligible = Eligible.ToList();
        switch (top.Kind)
        {
            case TopKind.Primitive:
                var count = Weighted((0, 11), (1, 7), (2, 2));
                foreach (var node in eligible.OrderBy(_ => _random.Next()).Take(count))
                {
                    _instances[(top.Id, node)] = new Instance("Started");
                }

                break;
            case TopKind.Group:
                if (Chance(0.5))
                {
                    break;
                }

                var home = eligible[_random.Next(eligible.Count)];
                foreach (var member in top.Primitives.TakeWhile(_ => Chance(0.85)))
                {
                    _instances[(member, home)] = new Instance("Started");
                    if (Chance(0.1))
                    {
                        _instances[(member, eligible[_random.Next(eligible.Count)])] = new Instance("Started");
                    }
                }

                break;
            default:
                var promotable = top.Kind == TopKind.Promotable;
                foreach (var node in eligible.Where(_ => Chance(0.6)))
                {
                    _instances[(top.Primitives[0], node)] = new Instance(!promotable ? "Started" : Chance(0.3) ? "Promoted" : "Unpromoted");
                }

                break;
        }
    }

    private Instance WithFailure(string resource, Instance instance)
    {
        if (instance.Role is null)
        {
            return instance;
        }

        if (Chance(0.08))
        {
            return instance with { Failure = Failure.Monitor, Rc = Weighted((1, 4), (7, 2), (5, 1)), FailCount = _random.Next(1, 4).ToString(CultureInfo.InvariantCulture) };
        }

        return instance.Role == "Started" && resource != "fencing" && Chance(0.02)
            ? instance with { Failure = Failure.Stop, FailCount = "INFINITY" }
            : instance;
    }

    private XElement NodeState(string node, int index)
    {
        var kind = _kinds[node];
        var id = (index + 1).ToString(CultureInfo.InvariantCulture);
        var (membership, shutdown) = MembershipOf(kind);
        var state = CibWriter.NodeState(node, index, membership);
        if (shutdown)
        {
            state.Add(new XElement(
                "transient_attributes",
                new XAttribute("id", id),
                new XElement("instance_attributes", new XAttribute("id", "status-" + id), NvPair("shutdown", CibWriter.LastRcChange.ToString(CultureInfo.InvariantCulture)))));
        }

        if (kind == NodeKind.Offline)
        {
            // Sometimes the node left with an instance still recorded active (Pacemaker fences it then).
            if (_membership.NextDouble() < 0.3 && _tops.Count > 0)
            {
                var top = _tops[_membership.Next(_tops.Count)];
                var role = top.Kind == TopKind.Promotable ? "Unpromoted" : "Started";
                _roles[(top.Primitives[0], node)] = role;
                state.Add(new XElement("lrm", new XAttribute("id", id), new XElement("lrm_resources", History(top, top.Primitives[0], new Instance(role)))));
            }

            return state;
        }

        var attributes = new XElement("instance_attributes", new XAttribute("id", "status-" + id));
        var lrm = new XElement("lrm_resources");
        foreach (var top in _tops)
        {
            foreach (var primitive in top.Primitives)
            {
                if (!_instances.TryGetValue((primitive, node), out var instance))
                {
                    instance = new Instance(null);
                    if (Chance(0.04))
                    {
                        instance = instance with { Failure = Failure.Start, FailCount = "INFINITY" };
                    }
                    else if (Chance(0.08))
                    {
                        instance = instance with { FailCount = _random.Next(1, 4).ToString(CultureInfo.InvariantCulture) };
                    }
                }

                if (top.Kind == TopKind.Promotable && Chance(0.7))
                {
                    attributes.Add(NvPair("master-" + primitive, Pick("5", "10", "100", "1000")));
                }

                if (instance.FailCount is { } failCount)
                {
                    var key = instance.Failure switch
                    {
                        Failure.Start => "start_0",
                        Failure.Stop => "stop_0",
                        _ => "monitor_" + MonitorInterval(top, instance.Role),
                    };
                    attributes.Add(NvPair($"fail-count-{primitive}#{key}", failCount), NvPair($"last-failure-{primitive}#{key}", CibWriter.LastRcChange.ToString(CultureInfo.InvariantCulture)));
                }

                lrm.Add(History(top, primitive, instance));
            }
        }

        state.Add(new XElement("transient_attributes", new XAttribute("id", id), attributes));
        state.Add(new XElement("lrm", new XAttribute("id", id), lrm));
        return state;
    }

    /// <summary>
    /// The <c>node_state</c> attributes of a node of this kind and whether it was asked to shut down, drawn
    /// from their own random sequence (the rest of a seed's cluster does not depend on them): the ways
    /// Pacemaker 2.1.5 reads a node as offline (left, pending, lost while shutting down) or, with
    /// fencing, as unclean (lost while expected up, whatever its join state; controller gone; never seen
    /// in the membership; refused).
    /// </summary>
    private (Membership Membership, bool Shutdown) MembershipOf(NodeKind kind)
    {
        switch (kind)
        {
            case NodeKind.Online or NodeKind.Standby:
                return (new Membership("true", "online", "member", "member"), false);
            case NodeKind.Offline:
                var shutdown = _membership.Next(6) == 0;
                return shutdown
                    ? (new Membership("false", "offline", "member", "member"), true)
                    : (Weighted(
                        _membership,
                        (new Membership("false", "offline", "down", "down"), 3),
                        (new Membership("false", "offline", "down", null), 1),
                        (new Membership("true", "online", "pending", "member"), 1)), false);
            default:
                return (Weighted(
                    _membership,
                    (new Membership("false", "offline", "member", "member"), 3),
                    (new Membership("false", "offline", "down", "member"), 2),
                    (new Membership("true", "offline", "member", "member"), 1),
                    (new Membership(null, "offline", "down", "member"), 1),
                    (new Membership("true", "online", "banned", "member"), 1)), false);
        }
    }

    private static string MonitorInterval(Top top, string? role) =>
        top.Kind == TopKind.Promotable && role != "Promoted" ? "11000" : "10000";

    private static XElement History(Top top, string primitive, Instance instance)
    {
        var stonith = primitive == "fencing";
        var resource = stonith
            ? CibWriter.LrmResource(primitive, "stonith", null, "fence_dummy")
            : CibWriter.LrmResource(primitive, "ocf", "pacemaker", top.Kind == TopKind.Promotable ? "Stateful" : "Dummy");
        var last = instance switch
        {
            { Failure: Failure.Start } => ("start", 0, 1, 0, 2),
            { Failure: Failure.Stop } => ("stop", 0, 1, 0, 4),
            { Role: null } => ("monitor", 0, 7, 7, 1),
            { Role: "Promoted" } => ("promote", 0, 0, 0, 3),
            _ => ("start", 0, 0, 0, 2),
        };
        resource.Add(Op(primitive, primitive + "_last_0", last));
        if (instance.Failure is Failure.Start or Failure.Stop)
        {
            resource.Add(Op(primitive, primitive + "_last_failure_0", last));
        }

        if (instance.Failure == Failure.Monitor)
        {
            var interval = int.Parse(MonitorInterval(top, instance.Role), CultureInfo.InvariantCulture);
            var monitor = ("monitor", interval, instance.Rc, instance.Role == "Promoted" ? 8 : 0, 5);
            resource.Add(Op(primitive, $"{primitive}_monitor_{interval}", monitor), Op(primitive, primitive + "_last_failure_0", monitor));
        }

        return resource;
    }

    private static XElement Op(string primitive, string id, (string Name, int Interval, int Rc, int TargetRc, int CallId) op) =>
        CibWriter.LrmOp(primitive, id, op.Name, op.Interval, op.Rc, op.TargetRc, op.CallId);
}
