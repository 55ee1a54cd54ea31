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
internal sealed partial class ActionPlanner
{
    private static readonly (TransitionOp Op, AgentAction Agent)[] NotifiedOps =
        [(TransitionOp.Demote, AgentAction.Demote), (TransitionOp.Stop, AgentAction.Stop), (TransitionOp.Start, AgentAction.Start), (TransitionOp.Promote, AgentAction.Promote)];

    // Per notifying primitive: per operation in NotifiedOps order, its pre and post notifications and the nodes
    // whose fence stands for that operation.
    private readonly List<(string Primitive, NotifiedOp[] Ops)> _notified = [];

    private sealed record NotifiedOp(List<TransitionAction> Pre, List<TransitionAction> Post, List<string> FencedNodes);

    /// <summary>Adds the notifications of every clone with <c>notify=true</c> (after the other actions).</summary>
    private void AddNotifications()
    {
        foreach (var clone in _view.Config.Clones)
        {
            if (!clone.Notify || _index.FindResource(clone.Child) is not Primitive primitive || _view.IsFrozenResource(primitive.Id))
            {
                continue;
            }

            _view.Cancellation.ThrowIfCancellationRequested();
            AddNotifications(clone, primitive.Id);
        }
    }

    private void AddNotifications(CloneResource clone, string primitive)
    {
        var active = _view.ActiveOf(primitive);
        var lost = _view.LostOf(primitive)
            .Where(l => _view.FindNode(l.Key)?.Fence == true)
            .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var plans = new List<InstancePlan>();
        foreach (var node in active.Keys.Concat(_placement.TargetOf(primitive).Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (_plans.TryGetValue((primitive, node), out var plan))
            {
                plans.Add(plan);
            }
        }

        // What each operation touches: the instances' own actions plus the stops and demotes a fence implies.
        var touched = new List<string>[NotifiedOps.Length];
        for (var i = 0; i < NotifiedOps.Length; i++)
        {
            var op = NotifiedOps[i].Op;
            touched[i] = [.. plans.Where(p => Does(p, op)).Select(p => p.Node)];
            if (op == TransitionOp.Stop || op == TransitionOp.Demote)
            {
                touched[i].AddRange(lost.Where(l => op == TransitionOp.Stop || l.Value == ResourceRole.Promoted).Select(l => l.Key));
            }
        }

        if (touched.All(t => t.Count == 0))
        {
            return;
        }

        var lists = Lists(clone, primitive, active, touched);
        var ops = new NotifiedOp[NotifiedOps.Length];
        for (var i = 0; i < NotifiedOps.Length; i++)
        {
            var (op, agentOp) = NotifiedOps[i];
            ops[i] = new NotifiedOp([], [], [.. lost.Keys.Where(touched[i].Contains)]);
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
                    ops[i].Pre.Add(_graph.Add(Notify(primitive, plan.Node, lists with { Type = NotifyType.Pre, Operation = agentOp })));
                }

                if (post)
                {
                    ops[i].Post.Add(_graph.Add(Notify(primitive, plan.Node, lists with
                    {
                        Type = NotifyType.Post,
                        Operation = agentOp,
                        AfterFencing = op == TransitionOp.Stop && ops[i].FencedNodes.Count > 0,
                    })));
                }
            }
        }

        _notified.Add((primitive, ops));
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
    /// numbered for this transition only: the active ones by node name, then the ones starting on other nodes,
    /// and the instances not active now (up to <c>clone-max</c>) are the inactive ones.
    /// </summary>
    private AgentNotification Lists(CloneResource clone, string primitive, IReadOnlyDictionary<string, ResourceRole> active, List<string>[] touched)
    {
        var now = active.Concat(_view.LostOf(primitive)).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
        var number = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, _) in now)
        {
            number[node] = number.Count;
        }

        foreach (var node in touched[2].Order(StringComparer.Ordinal))
        {
            number.TryAdd(node, number.Count);
        }

        var cloneMax = Math.Max(clone.CloneMax ?? _view.Nodes.Count, number.Count);
        NotifyInstance Instance(string node) => new($"{primitive}:{number[node]}", node);
        ImmutableArray<NotifyInstance> Of(IEnumerable<string> nodes) => [.. nodes.Select(Instance).OrderBy(i => number[i.Node])];
        return new AgentNotification(NotifyType.Pre, AgentAction.Start)
        {
            Demote = Of(touched[0]),
            Stop = Of(touched[1]),
            Start = Of(touched[2]),
            Promote = Of(touched[3]),
            Active = Of(now.Select(i => i.Key)),
            Inactive = [.. Enumerable.Range(now.Count, Math.Max(0, cloneMax - now.Count)).Select(n => new NotifyInstance($"{primitive}:{n}", ""))],
            Promoted = Of(now.Where(i => i.Value == ResourceRole.Promoted).Select(i => i.Key)),
            Unpromoted = clone.Promotable ? Of(now.Where(i => i.Value != ResourceRole.Promoted).Select(i => i.Key)) : [],
            AllNodes = [.. _view.Nodes.Select(n => n.Name)],
            AvailableNodes = [.. _view.Nodes.Select(n => n.Name)],
        };
    }

    /// <summary>The edges of the notifications (see the top of this file); after every other edge.</summary>
    private void AddNotifyOrdering()
    {
        if (_notified.Count == 0)
        {
            return;
        }

        // Who waits for each action of a notifying primitive, from outside that primitive.
        var notifying = _notified.Select(n => n.Primitive).ToHashSet(StringComparer.Ordinal);
        var waiting = new Dictionary<TransitionAction, List<TransitionAction>>();
        foreach (var then in _graph.Actions)
        {
            foreach (var first in _graph.FirstsOf(then))
            {
                if (notifying.Contains(first.Resource) && first.Op != TransitionOp.Fence && then.Resource != first.Resource)
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

        foreach (var (primitive, ops) in _notified)
        {
            _view.Cancellation.ThrowIfCancellationRequested();
            var own = _graph.ActionsOf(primitive);
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
