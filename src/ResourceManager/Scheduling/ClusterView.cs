using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// The inputs of one scheduling run, read once: nodes and whether they can run resources, what is
/// active where (normalized roles), failures with their severity, bans, fencing and quorum flags.
/// Everything is keyed by name and iterated in ordinal order, so a run is deterministic.
/// </summary>
internal sealed partial class ClusterView
{
    private readonly Dictionary<string, Dictionary<string, ResourceRole>> _active;
    private readonly Dictionary<string, Dictionary<string, ResourceRole>> _lost = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), InstanceFailure> _failures = [];
    private readonly HashSet<(string, string)> _bans = [];
    private readonly HashSet<string> _bannedEverywhere = new(StringComparer.Ordinal);
    private readonly HashSet<string> _blocked = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string)> _blockedInstances = [];
    private readonly HashSet<string> _stoppedByFailure = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeState> _nodesByName;
    private readonly Dictionary<string, AttributeMap> _meta;

    // Built on first use: only promotable clones ask, and a large status has an entry for thousands of
    // primitives. What was active when the status was read is kept for it (lost nodes leave _active later).
    private Dictionary<string, HashSet<string>>? _history;
    private (string Primitive, string Node)[] _activeWhenRead = [];

    public ClusterView(ClusterConfig config, ClusterStatus status, DateTimeOffset? now, CancellationToken cancellation = default)
    {
        Cancellation = cancellation;
        Config = config;
        _meta = new(config.Primitives.Count + config.Groups.Count + config.Clones.Count, StringComparer.Ordinal);
        Status = status;
        _active = new(status.Resources.Count, StringComparer.Ordinal);
        Now = now;
        Index = ConfigIndex.Of(config);
        var props = config.Properties;
        StonithEnabled = props.IsStonithEnabled;
        var policy = props.EffectiveNoQuorumPolicy;
        var quorate = status.Quorate || policy == NoQuorumPolicy.Ignore;
        CanFence = StonithEnabled && quorate;
        StopAll = !quorate && policy == NoQuorumPolicy.Stop;
        DemoteAll = !quorate && policy == NoQuorumPolicy.Demote;
        Frozen = !quorate && policy == NoQuorumPolicy.Freeze;
        FenceDevices = [.. config.Primitives.Where(p => p.Agent.IsStonith).Select(p => p.Id).Order(StringComparer.Ordinal)];
        Nodes = BuildNodes(config, status);
        _nodesByName = Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        HasPendingNodes = Nodes.Any(n => n.Pending);
        NodeNames = new NodeNames(Nodes.Select(n => n.Name));
        ReadInstances();
        KeepActiveForHistory();
        ReadFailures();
        foreach (var ((primitive, node), failure) in _failures)
        {
            // A clone's instance is blocked on its node only; the clone's other instances go on.
            if (failure.Kind == FailureKind.Block && Index.CloneOf(primitive) is not null)
            {
                _blockedInstances.Add((primitive, node));
            }
            else if (failure.Kind == FailureKind.Block)
            {
                _blocked.Add(primitive);
            }
            else if (failure.Kind == FailureKind.StopResource)
            {
                _stoppedByFailure.Add(primitive);
            }
        }

        MarkLostNodes();
        ReadMultipleActive();
        WatchdogFencing = StonithEnabled && props.IsWatchdogFencingConfigured;
        NoDeviceForFencing = StonithEnabled && FenceDevices.Count == 0 && !WatchdogFencing;
        if (NoDeviceForFencing)
        {
            Warnings.Add("stonith-enabled is true but no fence device (stonith primitive) is configured: nothing is started or promoted until one is (or stonith-enabled=false)");
        }

        if (!StonithEnabled)
        {
            Warnings.Add("stonith-enabled=false: a lost node is assumed to be down without fencing it; split brain is possible");
        }

        if (!status.Quorate && policy != NoQuorumPolicy.Ignore)
        {
            Warnings.Add($"the cluster has no quorum: no-quorum-policy={policy.ToString().ToLowerInvariant()} applies and no node is fenced");
        }

        WarnAboutCloneLimits();
    }

    /// <summary>
    /// ClusterD runs at most one instance of a clone on a node and promotes only clones of a primitive
    /// (docs/scheduler.md, "Where ClusterD differs"): a configuration that asks for more is told so with
    /// each decision, rather than quietly getting another one than Pacemaker's.
    /// </summary>
    private void WarnAboutCloneLimits()
    {
        foreach (var clone in Config.Clones)
        {
            if (clone.CloneNodeMax > 1 || (clone.Promotable && clone.PromotedNodeMax > 1))
            {
                Warnings.Add($"clone {clone.Id}: clone-node-max={clone.CloneNodeMax}, promoted-node-max={clone.PromotedNodeMax}: "
                    + "ClusterD runs at most one instance of a clone per node, so both act as 1");
            }

            if (clone.Promotable && Index.FindResource(clone.Child) is ResourceGroup)
            {
                Warnings.Add($"clone {clone.Id}: a promotable clone of a group is placed but never promoted by ClusterD");
            }
        }
    }

    /// <summary>Cancels the run: every long loop of the scheduler checks it at each step.</summary>
    public CancellationToken Cancellation { get; }

    public ClusterConfig Config { get; }

    public ClusterStatus Status { get; }

    public ConfigIndex Index { get; }

    public DateTimeOffset? Now { get; }

    /// <summary>Every node known from the configuration or the status, by name (ordinal).</summary>
    public IReadOnlyList<NodeState> Nodes { get; }

    /// <summary>The names of <see cref="Nodes"/>, in the same order: what <see cref="NodeScores"/> are kept over.</summary>
    public NodeNames NodeNames { get; }

    public bool StonithEnabled { get; }

    /// <summary>Fencing is enabled and allowed now (quorum, or no-quorum-policy=ignore).</summary>
    public bool CanFence { get; }

    public bool StopAll { get; }

    public bool DemoteAll { get; }

    public bool Frozen { get; }

    public bool NoDeviceForFencing { get; }

    /// <summary><c>stonith-watchdog-timeout</c> is set: a node no device can fence is fenced by its own watchdog.</summary>
    public bool WatchdogFencing { get; }

    /// <summary>Nothing new may start or be promoted: frozen without quorum, or fencing required but impossible.</summary>
    public bool StartsBlocked => Frozen || NoDeviceForFencing;

    public IReadOnlyList<string> FenceDevices { get; }

    public List<string> Warnings { get; } = [];

    /// <summary>Instances active in the status but unknown to the configuration: (resource, node, role).</summary>
    public List<(string Resource, string Node, ResourceRole Role)> Orphans { get; } = [];

    public NodeState? FindNode(string name) => _nodesByName.GetValueOrDefault(name);

    /// <summary>Nodes where a primitive is active now, with its role, on reachable nodes only.</summary>
    public IReadOnlyDictionary<string, ResourceRole> ActiveOf(string primitive) =>
        _active.TryGetValue(primitive, out var map) ? map : Empty;

    /// <summary>Instances on lost nodes: unknown state until the node is fenced.</summary>
    public IReadOnlyDictionary<string, ResourceRole> LostOf(string primitive) =>
        _lost.TryGetValue(primitive, out var map) ? map : Empty;

    public ResourceRole CurrentRole(string primitive, string node) =>
        ActiveOf(primitive).TryGetValue(node, out var role) ? role : ResourceRole.Stopped;

    /// <summary>Nodes where a primitive has any operation history (a probe at least), or is active.</summary>
    public IReadOnlySet<string> HistoryOf(string primitive) =>
        (_history ??= ReadHistory()).TryGetValue(primitive, out var nodes) ? nodes : NoNodes;

    public InstanceFailure? FailureOf(string primitive, string node) => _failures.GetValueOrDefault((primitive, node));

    public bool IsBanned(string primitive, string node) => _bannedEverywhere.Contains(primitive) || _bans.Contains((primitive, node));

    /// <summary>The meta attributes in force for a resource (<see cref="ConfigIndex.EffectiveMeta"/>), worked out once per run.</summary>
    public AttributeMap MetaOf(string resourceId)
    {
        if (!_meta.TryGetValue(resourceId, out var meta))
        {
            meta = Index.EffectiveMeta(resourceId);
            _meta[resourceId] = meta;
        }

        return meta;
    }

    public bool IsUnmanaged(string resourceId)
    {
        var meta = MetaOf(resourceId);
        return meta.GetBool(MetaNames.IsManaged) is false || meta.GetBool(MetaNames.Maintenance) is true || Config.Properties.IsMaintenanceMode;
    }

    /// <summary>A primitive left alone: unmanaged, blocked by a failure nobody may recover, or multiply active with <c>multiple-active=block</c>.</summary>
    public bool IsFrozenResource(string primitive) => IsUnmanaged(primitive) || IsBlockedByFailure(primitive);

    /// <summary>
    /// A primitive left alone because of its state, not by the administrator: a failure nobody may
    /// recover, or multiply active with <c>multiple-active=block</c>. None of its actions can run.
    /// </summary>
    public bool IsBlockedByFailure(string primitive) =>
        _blocked.Contains(primitive) || MultipleActiveOf(primitive) == MultipleActivePolicy.Block;

    /// <summary>
    /// An instance left alone on its node: a clone's after a failed stop nobody may recover, or any on a
    /// pending node (<see cref="IsHeldOnPendingNode"/>); see <see cref="IsFrozenResource"/> for whole resources.
    /// </summary>
    public bool IsBlockedOn(string primitive, string node) => _blockedInstances.Contains((primitive, node)) || IsHeldOnPendingNode(primitive, node);

    /// <summary>The nodes where a clone's instance is blocked (<see cref="IsBlockedOn"/>).</summary>
    public IEnumerable<string> BlockedNodesOf(string primitive) =>
        _blockedInstances.Count == 0 && !HasPendingNodes ? [] : ActiveOf(primitive).Keys.Where(n => IsBlockedOn(primitive, n));

    public bool StoppedByFailure(string primitive) => _stoppedByFailure.Contains(primitive);

    public ResourceRole TargetRoleOf(string resourceId) =>
        MetaOf(resourceId).GetRole(MetaNames.TargetRole) ?? ResourceRole.Started;

    /// <summary><c>resource-stickiness</c> in force; clone instances default to 1, everything else to 0.</summary>
    public Score StickinessOf(string primitive) =>
        MetaOf(primitive).GetScore(MetaNames.ResourceStickiness)
        ?? (Index.CloneOf(primitive) is null ? Score.Zero : new Score(1));

    /// <summary>The fence device for a node: one whose host list names it, else the first device; <c>watchdog</c> when none but watchdog fencing is on; empty when none.</summary>
    public string FenceDeviceFor(string node)
    {
        foreach (var id in FenceDevices)
        {
            var device = (Primitive)Index.FindResource(id)!;
            foreach (var key in (string[])["hostlist", "pcmk_host_list", "pcmk_host_map"])
            {
                if (device.Params.Get(key) is { } list && list.Split([' ', ',', ';', ':'], StringSplitOptions.RemoveEmptyEntries).Contains(node, StringComparer.Ordinal))
                {
                    return id;
                }
            }
        }

        return FenceDevices.Count > 0 ? FenceDevices[0] : WatchdogFencing ? "watchdog" : "";
    }

    private static readonly Dictionary<string, ResourceRole> Empty = new(StringComparer.Ordinal);

    private static readonly HashSet<string> NoNodes = new(StringComparer.Ordinal);

    private void KeepActiveForHistory()
    {
        var count = 0;
        foreach (var nodes in _active.Values)
        {
            count += nodes.Count;
        }

        _activeWhenRead = new (string, string)[count];
        var i = 0;
        foreach (var (primitive, nodes) in _active)
        {
            foreach (var node in nodes.Keys)
            {
                _activeWhenRead[i++] = (primitive, node);
            }
        }
    }

    private Dictionary<string, HashSet<string>> ReadHistory()
    {
        var history = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var o in Status.Operations)
        {
            History(o.Resource).Add(o.Node);
        }

        foreach (var (primitive, node) in _activeWhenRead)
        {
            History(primitive).Add(node);
        }

        return history;

        HashSet<string> History(string primitive)
        {
            if (!history.TryGetValue(primitive, out var nodes))
            {
                nodes = new HashSet<string>(StringComparer.Ordinal);
                history[primitive] = nodes;
            }

            return nodes;
        }
    }

    private static List<NodeState> BuildNodes(ClusterConfig config, ClusterStatus status)
    {
        var names = config.Nodes.Select(n => n.Name).Concat(status.Nodes.Select(n => n.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var definitions = config.Nodes.DistinctBy(n => n.Name, StringComparer.Ordinal).ToDictionary(n => n.Name, StringComparer.Ordinal);
        var lives = status.Nodes.DistinctBy(n => n.Name, StringComparer.Ordinal).ToDictionary(n => n.Name, StringComparer.Ordinal);
        var result = new List<NodeState>();
        foreach (var name in names)
        {
            var definition = definitions.GetValueOrDefault(name);
            var live = lives.GetValueOrDefault(name);
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in definition?.Attributes ?? default)
            {
                attributes[k] = v;
            }

            foreach (var (k, v) in live?.Attributes ?? default)
            {
                attributes[k] = v;
            }

            attributes["#uname"] = name;
            if ((live?.Id ?? definition?.Id) is { } id)
            {
                attributes["#id"] = id;
            }

            var standbyAttribute = attributes.TryGetValue(MetaNames.Standby, out var s) && AttributeValues.TryParseBool(s, out var b) && b;
            result.Add(new NodeState(name, attributes)
            {
                // A pending node is online for what runs there (Pacemaker's reading), never for placement.
                Online = live is { Unclean: false } && (live.Online || live.Pending),
                Pending = live is { Pending: true, Unclean: false },
                Standby = (live?.Standby ?? false) || standbyAttribute,
                Lost = live?.Unclean ?? false,
            });
        }

        return result;
    }
}
