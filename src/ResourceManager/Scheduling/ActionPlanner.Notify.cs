using System.Collections.Immutable;
using ClusterD.Agents;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

// Notifications for clones with notify=true, as Pacemaker 2.1.5 schedules them (checked with crm_simulate,
// the scenarios notify-*). For each of demote, stop, start and promote that some instance of the clone does in
// this transition (a stop or demote implied by fencing a node counts), every instance active before it gets a
// pre notification and every instance active after it a post notification:
// - demote, stop: the instances active now (not on a lost node); post only to those not stopping;
// - start, promote: the instances that run after the transition; pre not to those starting.
// The clone's demotes (stops, ...) wait for every pre notification, the post notifications for all of them, the
// next operation's pre notifications for the earlier ones' posts, and whatever waits for one of the clone's
// actions of that operation (the group after a promote) also waits for its post notifications; the
// instances' monitors come after every post notification. Every notification carries the same lists.
// A cloned group is notified member by member: each member's instance is notified as a clone's primitive
// would be (the first member is told of the second one's recovery although it does not restart), the
// lists hold every member's instances, and the members' actions together stand for the clone's.
internal sealed partial class ActionPlanner
{
    private static readonly (TransitionOp Op, AgentAction Agent)[] NotifiedOps =
        [(TransitionOp.Demote, AgentAction.Demote), (TransitionOp.Stop, AgentAction.Stop), (TransitionOp.Start, AgentAction.Start), (TransitionOp.Promote, AgentAction.Promote)];

    // Per notifying clone, its notified primitives (the child or the group's members) and per operation in
    // NotifiedOps order, its pre and post notifications and the nodes whose fence stands for that operation.
    private readonly List<(HashSet<string> Primitives, NotifiedOp[] Ops)> _notified = [];

    private sealed record NotifiedOp(List<TransitionAction> Pre, List<TransitionAction> Post, List<string> FencedNodes);

    /// <summary>Adds the notifications of every clone with <c>notify=true</c> (after the other actions).</summary>
    private void AddNotifications()
    {
        foreach (var clone in _view.Config.Clones)
        {
            if (!clone.Notify)
            {
                continue;
            }

            // The clone's primitive, or its group's members; one left alone (unmanaged, blocked) is not notified.
            List<string> primitives = [.. _index.PrimitivesOf(clone.Child).Select(p => p.Id).Where(p => !_view.IsFrozenResource(p))];
            if (primitives.Count > 0)
            {
                _view.Cancellation.ThrowIfCancellationRequested();
                AddNotifications(clone, primitives);
            }
        }
    }

    private void AddNotifications(CloneResource clone, List<string> primitives)
    {
        var lost = primitives.ToDictionary(p => p, p => _view.LostOf(p)
            .Where(l => _view.FindNode(l.Key)?.Fence == true)
            .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        var plans = new List<InstancePlan>();
        foreach (var primitive in primitives)
        {
            foreach (var node in _view.ActiveOf(primitive).Keys.Concat(_placement.TargetOf(primitive).Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (_plans.TryGetValue((primitive, node), out var plan))
                {
                    plans.Add(plan);
                }
            }
        }

        // What each operation touches: the instances' own actions plus the stops and demotes a fence implies.
        var touched = new List<(string Primitive, string Node)>[NotifiedOps.Length];
        for (var i = 0; i < NotifiedOps.Length; i++)
        {
            var op = NotifiedOps[i].Op;
            touched[i] = [.. plans.Where(p => Does(p, op)).Select(p => (p.Resource, p.Node))];
            if (op == TransitionOp.Stop || op == TransitionOp.Demote)
            {
                touched[i].AddRange(lost.SelectMany(p => p.Value
                    .Where(l => op == TransitionOp.Stop || l.Value == ResourceRole.Promoted)
                    .Select(l => (p.Key, l.Key))));
            }
        }

        if (touched.All(t => t.Count == 0))
        {
            return;
        }

        var lists = Lists(clone, primitives, touched);
        var ops = new NotifiedOp[NotifiedOps.Length];
        for (var i = 0; i < NotifiedOps.Length; i++)
        {
            var (op, agentOp) = NotifiedOps[i];
            ops[i] = new NotifiedOp([], [], [.. touched[i].Where(t => lost[t.Primitive].ContainsKey(t.Node)).Select(t => t.Node).Distinct(StringComparer.Ordinal)]);
            if (touched[i].Count == 0)
            {
                continue;
            }

            foreach (var plan in plans)
            {
                var (pre, post) = op is TransitionOp.Demote or TransitionOp.Stop
                    ? (plan.Current != ResourceRole.Stopped, plan.Current != ResourceRole.Stopped && (op == TransitionOp.Demote || !plan.Stop))
                    : (plan.Target != ResourceRole.Stopped && !(op == TransitionOp.Start && plan.Start), plan.Target != ResourceRole.Stopped);
                if (pre)
                {
                    ops[i].Pre.Add(_graph.Add(Notify(plan.Resource, plan.Node, lists with { Type = NotifyType.Pre, Operation = agentOp })));
                }

                if (post)
                {
                    ops[i].Post.Add(_graph.Add(Notify(plan.Resource, plan.Node, lists with
                    {
                        Type = NotifyType.Post,
                        Operation = agentOp,
                        AfterFencing = op == TransitionOp.Stop && ops[i].FencedNodes.Count > 0,
                    })));
                }
            }
        }

        _notified.Add((primitives.ToHashSet(StringComparer.Ordinal), ops));
    }

    private static bool Does(InstancePlan plan, TransitionOp op) => op switch
    {
        TransitionOp.Demote => plan.Demote,
        TransitionOp.Stop => plan.Stop,
        TransitionOp.Start => plan.Start,
        _ => plan.Promote,
    };

    private static TransitionAction Notify(string primitive, string node, AgentNotification notification) =>
        new(TransitionOp.Notify, primitive, node) { Notification = notification };

    /// <summary>
    /// The lists every notification of the clone carries. Instances have no numbers in ClusterD; here they are
    /// numbered for this transition only: the active ones by node name, then the ones starting on other nodes
    /// (the members of a cloned group share their instance's number), and the instances not active now (up to
    /// <c>clone-max</c>) are the inactive ones. Each list holds the first member's instances, then the next's.
    /// </summary>
    private AgentNotification Lists(CloneResource clone, List<string> primitives, List<(string Primitive, string Node)>[] touched)
    {
        var now = primitives.Select(p => (Primitive: p, Instances: _view.ActiveOf(p).Concat(_view.LostOf(p)).ToDictionary(StringComparer.Ordinal))).ToList();
        var number = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in now.SelectMany(p => p.Instances.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            number[node] = number.Count;
        }

        foreach (var node in touched[2].Select(t => t.Node).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            number.TryAdd(node, number.Count);
        }

        var cloneMax = Math.Max(clone.CloneMax ?? _view.Nodes.Count, number.Count);
        var order = primitives.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        ImmutableArray<NotifyInstance> Of(IEnumerable<(string Primitive, string Node)> instances) =>
        [
            .. instances.OrderBy(i => order[i.Primitive]).ThenBy(i => number[i.Node])
                .Select(i => new NotifyInstance($"{i.Primitive}:{number[i.Node]}", i.Node)),
        ];
        IEnumerable<(string, string)> Now(Func<ResourceRole, bool> role) =>
            now.SelectMany(p => p.Instances.Where(i => role(i.Value)).Select(i => (p.Primitive, i.Key)));
        var inactive = now.SelectMany(p =>
        {
            var used = p.Instances.Keys.Select(node => number[node]).ToHashSet();
            return Enumerable.Range(0, cloneMax).Where(n => !used.Contains(n)).Select(n => new NotifyInstance($"{p.Primitive}:{n}", ""));
        });
        return new AgentNotification(NotifyType.Pre, AgentAction.Start)
        {
            Demote = Of(touched[0]),
            Stop = Of(touched[1]),
            Start = Of(touched[2]),
            Promote = Of(touched[3]),
            Active = Of(Now(_ => true)),
            Inactive = [.. inactive],
            Promoted = Of(Now(r => r == ResourceRole.Promoted)),
            Unpromoted = clone.Promotable ? Of(Now(r => r != ResourceRole.Promoted)) : [],
            AllNodes = [.. _view.Nodes.Select(n => n.Name)],
            AvailableNodes = [.. AvailableNodes(clone)],
        };
    }

    /// <summary>
    /// The nodes the agents are told the clone may run on (<c>notify_available_uname</c>): every node, or in an
    /// opt-in cluster those a location of the clone names, as Pacemaker lists them: whatever the score (a ban
    /// too) and whether the node is up or not; a location for the Promoted role only does not count.
    /// </summary>
    private IEnumerable<string> AvailableNodes(CloneResource clone)
    {
        if (_view.Config.Properties.IsSymmetricCluster)
        {
            return _view.Nodes.Select(n => n.Name);
        }

        var locations = _index.LocationsOf(clone.Id).Where(l => l.Role is null or ResourceRole.Started).ToList();
        return _view.Nodes.Where(n => locations.Any(l => l.HasRules
                ? l.Rules.Any(rule => rule.Role is null or ResourceRole.Started && rule.Matches(n.Attributes))
                : l.Node == n.Name))
            .Select(n => n.Name);
    }

    /// <summary>The edges of the notifications (see the top of this file); after every other edge.</summary>
    private void AddNotifyOrdering()
    {
        if (_notified.Count == 0)
        {
            return;
        }

        // Who waits for each action of a notifying clone, from outside that clone (a group's next member is inside).
        var cloneOf = _notified.SelectMany(n => n.Primitives.Select(p => (p, n.Primitives))).ToDictionary(x => x.p, x => x.Primitives, StringComparer.Ordinal);
        var waiting = new Dictionary<TransitionAction, List<TransitionAction>>();
        foreach (var then in _graph.Actions)
        {
            foreach (var first in _graph.FirstsOf(then))
            {
                if (cloneOf.TryGetValue(first.Resource, out var primitives) && first.Op != TransitionOp.Fence && !primitives.Contains(then.Resource))
                {
                    if (!waiting.TryGetValue(first, out var list))
                    {
                        list = [];
                        waiting[first] = list;
                    }

                    list.Add(then);
                }
            }
        }

        foreach (var (primitives, ops) in _notified)
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            var own = primitives.SelectMany(_graph.ActionsOf).ToList();
            var earlierPosts = new List<TransitionAction>();
            for (var i = 0; i < ops.Length; i++)
            {
                var (pre, post, fenced) = (ops[i].Pre, ops[i].Post, ops[i].FencedNodes);
                var acts = own.Where(a => a.Op == NotifiedOps[i].Op).ToList();
                foreach (var p in pre)
                {
                    earlierPosts.ForEach(e => _graph.Order(e, p));
                    acts.ForEach(a => _graph.Order(p, a));
                    post.ForEach(q => _graph.Order(p, q));
                }

                foreach (var q in post)
                {
                    acts.ForEach(a => _graph.Order(a, q));
                    foreach (var node in fenced)
                    {
                        _graph.Order(_graph.Find(new TransitionAction(TransitionOp.Fence, "", node).Id), q);
                    }

                    foreach (var then in acts.SelectMany(a => waiting.GetValueOrDefault(a) ?? []))
                    {
                        _graph.Order(q, then);
                    }
                }

                earlierPosts.AddRange(post);
            }

            foreach (var monitor in own.Where(a => a.Op == TransitionOp.Monitor))
            {
                earlierPosts.ForEach(q => _graph.Order(q, monitor));
            }
        }
    }
}
