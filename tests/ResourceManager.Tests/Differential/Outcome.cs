using System.Collections.Immutable;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>
/// What a scheduler decided for one cluster, in a form both schedulers can be compared by: the
/// start, stop, promote, demote and fence actions (<c>start r1@n2</c>, <c>fence @n1</c>; clone
/// instances by their primitive, so instance numbers do not matter) and the placement once they are
/// done (<c>m1p@n1=Promoted</c>), derived the same way for both from the cluster's initial roles.
/// </summary>
internal sealed record Outcome(ImmutableSortedSet<string> Actions, ImmutableSortedSet<string> Placement, string? Error = null)
{
    /// <summary>
    /// <c>PRIM@NODE</c> where Pacemaker stopped one clone instance and started another (renumbering);
    /// <see cref="WithoutRenumbering"/> drops those actions when the other outcome keeps the instance.
    /// </summary>
    public ImmutableSortedSet<string> Renumbered { get; init; } = [];

    /// <summary>Restarts (<c>primitive@node</c>) only a renumbered instance's stop needs (<see cref="PacemakerOracle"/>).</summary>
    public ImmutableSortedSet<string> KnockOn { get; init; } = [];

    /// <summary>
    /// These actions without the stop and start (and the demote and promote around them) of a
    /// renumbered instance on a node where <paramref name="other"/> neither stops nor starts it: the
    /// node runs the clone in the same role before and after. Where <paramref name="other"/> ends
    /// that instance Promoted and this outcome Unpromoted, the other's role there is taken: Pacemaker
    /// promotes a renumbered instance only in its next transition.
    /// </summary>
    public Outcome WithoutRenumbering(Outcome other)
    {
        var drop = new HashSet<string>(StringComparer.Ordinal);
        var add = new HashSet<string>(StringComparer.Ordinal);
        var placement = Placement;
        foreach (var key in Renumbered.Where(k => !other.Actions.Contains("stop " + k) && !other.Actions.Contains("start " + k)))
        {
            drop.Add("stop " + key);
            drop.Add("start " + key);
            if (Actions.Contains("demote " + key) && Actions.Contains("promote " + key))
            {
                drop.Add("demote " + key);
                drop.Add("promote " + key);
            }

            // The instance Pacemaker starts there is not the one that was running: it has no promotion
            // score yet, so it stays Unpromoted in this transition where the other keeps or makes it Promoted.
            if (Placement.Contains(key + "=Unpromoted") && other.Placement.Contains(key + "=Promoted"))
            {
                drop.Add("demote " + key);
                drop.Add("promote " + key);
                add.UnionWith(other.Actions.Where(a => a == "demote " + key || a == "promote " + key));
                placement = placement.Remove(key + "=Unpromoted").Add(key + "=Promoted");
            }
        }

        // What restarted only so that a dropped renumbered instance could stop restarts no more either,
        // nor is a Promoted instance among them demoted and promoted again around its restart.
        foreach (var key in drop.Count == 0 ? [] : KnockOn.Where(k => !other.Actions.Contains("stop " + k) && !other.Actions.Contains("start " + k)))
        {
            drop.Add("stop " + key);
            drop.Add("start " + key);
            if (Actions.Contains("demote " + key) && Actions.Contains("promote " + key) && !other.Actions.Contains("demote " + key))
            {
                drop.Add("demote " + key);
                drop.Add("promote " + key);
            }
        }

        return drop.Count == 0 ? this : this with { Actions = Actions.Except(drop).Union(add), Placement = placement };
    }

    private static readonly string[] Ops = ["fence", "demote", "stop", "start", "promote"];

    public static Outcome Failed(string error) => new([], [], error);

    /// <summary>
    /// The outcome of <paramref name="actions"/> (op, primitive, node; fence with an empty primitive)
    /// applied to the initial roles: fences, then demotes, stops, starts and promotes.
    /// </summary>
    public static Outcome From(RandomCluster cluster, IEnumerable<(string Op, string Resource, string Node)> actions)
    {
        var list = actions.ToList();
        var roles = cluster.InitialRoles.ToDictionary();
        foreach (var op in Ops)
        {
            foreach (var (_, resource, node) in list.Where(a => a.Op == op))
            {
                switch (op)
                {
                    case "fence":
                        foreach (var key in roles.Keys.Where(k => k.Node == node).ToList())
                        {
                            roles.Remove(key);
                        }

                        break;
                    case "demote":
                        if (roles.ContainsKey((resource, node)))
                        {
                            roles[(resource, node)] = "Unpromoted";
                        }

                        break;
                    case "stop":
                        roles.Remove((resource, node));
                        break;
                    case "start":
                        roles[(resource, node)] = cluster.Promotable.Contains(resource) ? "Unpromoted" : "Started";
                        break;
                    default:
                        roles[(resource, node)] = "Promoted";
                        break;
                }
            }
        }

        return new Outcome(
            [.. list.Select(a => $"{a.Op} {a.Resource}@{a.Node}")],
            [.. roles.Select(r => $"{r.Key.Resource}@{r.Key.Node}={r.Value}")]);
    }

    public static bool IsCompared(string op) => Ops.Contains(op);
}
