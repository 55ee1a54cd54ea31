using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Tests.Execution;

/// <summary>
/// The seed's stack as its agents would see it on two nodes: a DRBD clone (drbd), a Filesystem (fs)
/// and mysqld in a group. Actions change what really runs; every action is checked against the
/// safety rules at the moment it runs (never two DRBD Primaries; never a second copy of the filesystem
/// or mysqld; never either active where DRBD is not Primary; never mysqld without its filesystem), and
/// violations are kept.
/// </summary>
internal sealed class SimulatedCluster : IActionRunner
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Resource, string Node), ResourceRole> _running = [];
    private readonly HashSet<string> _down = [];
    private readonly Random _random = new(20261127);

    public List<string> Violations { get; } = [];

    public List<string> Log { get; } = [];

    /// <summary>The node that went down, as a crash does: nothing it ran is reachable, it cannot run anything.</summary>
    public void Crash(string node)
    {
        lock (_gate)
        {
            _down.Add(node);
        }
    }

    /// <summary>What crashed on a node (mysqld killed): its next monitor says not running.</summary>
    public void Kill(string resource, string node)
    {
        lock (_gate)
        {
            _running.Remove((resource, node));
        }
    }

    /// <summary>Something already runs before the cluster starts (left over, or started by hand).</summary>
    public void Preload(string resource, string node, ResourceRole role)
    {
        lock (_gate)
        {
            _running[(resource, node)] = role;
        }
    }

    public ResourceRole? RoleOf(string resource, string node)
    {
        lock (_gate)
        {
            return _down.Contains(node) ? null : _running.TryGetValue((resource, node), out var role) ? role : null;
        }
    }

    public async Task<ActionResult> RunAsync(TransitionAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Agents take their time, differently each run: actions the executor runs together really overlap.
        int delay;
        lock (_gate)
        {
            delay = _random.Next(0, 4);
        }

        await Task.Delay(delay, cancellationToken);
        lock (_gate)
        {
            Log.Add(action.Id);
            return Run(action);
        }
    }

    private ActionResult Run(TransitionAction action)
    {
        if (action.Op == TransitionOp.Fence)
        {
            // Power off through the cloud: the node is down and runs nothing afterwards.
            _down.Add(action.Node);
            foreach (var held in _running.Keys.Where(k => k.Node == action.Node).ToList())
            {
                _running.Remove(held);
            }

            return ActionResult.Ok;
        }

        if (_down.Contains(action.Node))
        {
            return ActionResult.Error($"node {action.Node} is unreachable");
        }

        var key = (action.Resource, action.Node);
        var running = _running.TryGetValue(key, out var role);
        var promotable = action.Resource == "drbd";
        switch (action.Op)
        {
            case TransitionOp.Start:
                if (action.Resource is "fs" or "mysqld" && !Is("drbd", action.Node, ResourceRole.Promoted))
                {
                    Violations.Add($"{action.Id} where DRBD is not Primary");
                }

                if (!promotable && _running.Keys.Any(k => k.Resource == action.Resource && k.Node != action.Node && !_down.Contains(k.Node)))
                {
                    Violations.Add($"{action.Id} while it runs on another node: a second copy");
                }

                if (action.Resource == "mysqld" && !_running.ContainsKey(("fs", action.Node)))
                {
                    Violations.Add($"{action.Id} without its filesystem");
                }

                _running[key] = promotable ? ResourceRole.Unpromoted : ResourceRole.Started;
                return ActionResult.Ok;
            case TransitionOp.Promote:
                if (_running.Any(r => r.Key.Resource == "drbd" && r.Key.Node != action.Node && r.Value == ResourceRole.Promoted && !_down.Contains(r.Key.Node)))
                {
                    Violations.Add($"{action.Id} while another node is Primary");
                }

                if (!running)
                {
                    return new ActionResult(7);
                }

                _running[key] = ResourceRole.Promoted;
                return ActionResult.Ok;
            case TransitionOp.Demote:
                if (_running.ContainsKey(("fs", action.Node)) || _running.ContainsKey(("mysqld", action.Node)))
                {
                    Violations.Add($"{action.Id} under a mounted filesystem or a running mysqld");
                }

                _running[key] = ResourceRole.Unpromoted;
                return ActionResult.Ok;
            case TransitionOp.Stop:
                if (action.Resource == "fs" && _running.ContainsKey(("mysqld", action.Node)))
                {
                    Violations.Add($"{action.Id} under a running mysqld");
                }

                _running.Remove(key);
                return ActionResult.Ok;
            default:
                if (!running)
                {
                    return new ActionResult(7);
                }

                // DRBD reports its promotion score (UpToDate data) with every monitor.
                return new ActionResult(role == ResourceRole.Promoted ? 8 : 0, PromotionScore: promotable ? new Score(10000) : null);
        }
    }

    private bool Is(string resource, string node, ResourceRole role) => _running.TryGetValue((resource, node), out var r) && r == role;
}
