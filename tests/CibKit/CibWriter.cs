using System.Globalization;
using System.Xml.Linq;

namespace ClusterD.CibKit;

/// <summary>
/// The elements of a Pacemaker CIB as Debian 12's Pacemaker 2.1.5 writes them: the <c>cib</c>
/// envelope, nvpairs, primitives with operations, nodes, node states and the operation history
/// (<c>lrm_rsc_op</c>). Element ids that need to be unique get a running number from this writer,
/// so the same calls in the same order always give the same text.
/// </summary>
public sealed class CibWriter
{
    /// <summary>The feature set Debian 12's Pacemaker 2.1.5 writes.</summary>
    public const string CrmFeatureSet = "3.16.2";

    /// <summary><c>crm_resource --digests</c> of an operation of a primitive without parameters (feature set 3.16.2).</summary>
    public const string EmptyDigest = "f2317cad3d54cec5d7d7aa7d0bf35cf8";

    /// <summary>
    /// <c>crm_resource --digests</c> of a recurring operation of a primitive without parameters and with
    /// the default timeout (<c>CRM_meta_timeout=20000</c>). Pacemaker compares it with the configuration:
    /// a recurring operation recorded with another digest counts as changed, and the fail count on that
    /// node is cleared instead of banning the node at <c>migration-threshold</c>.
    /// </summary>
    public const string RecurringDigest = "4811cef7f7f94e3a35a70be7916cb2fd";

    /// <summary>The <c>last-rc-change</c> of every written operation (seconds since the epoch).</summary>
    public const int LastRcChange = 1_700_000_000;

    private int _ids;

    /// <summary>A unique element id: <paramref name="prefix"/> and the next running number.</summary>
    public string Id(string prefix) => $"{prefix}-{++_ids}";

    /// <summary>The <c>cib</c> element, with quorum, around a configuration and a status.</summary>
    public static XElement Cib(XElement configuration, XElement status) =>
        new(
            "cib",
            new XAttribute("admin_epoch", "0"),
            new XAttribute("epoch", "1"),
            new XAttribute("num_updates", "0"),
            new XAttribute("validate-with", "pacemaker-3.9"),
            new XAttribute("crm_feature_set", CrmFeatureSet),
            new XAttribute("have-quorum", "1"),
            new XAttribute("dc-uuid", "1"),
            configuration,
            status);

    public XElement NvPair(string name, string value) =>
        new("nvpair", new XAttribute("id", Id(name)), new XAttribute("name", name), new XAttribute("value", value));

    /// <summary>A primitive of class <c>ocf</c>, provider <c>pacemaker</c> (Dummy, Stateful) with its operations.</summary>
    public static XElement OcfPrimitive(string id, string type, params XElement[] operations) =>
        new(
            "primitive",
            new XAttribute("id", id),
            new XAttribute("class", "ocf"),
            new XAttribute("provider", "pacemaker"),
            new XAttribute("type", type),
            new XElement("operations", operations));

    /// <summary>A fence device of class <c>stonith</c>.</summary>
    public static XElement StonithPrimitive(string id, string type) =>
        new("primitive", new XAttribute("id", id), new XAttribute("class", "stonith"), new XAttribute("type", type));

    /// <summary>A configured operation (<c>op</c>), for a role or for every role.</summary>
    public XElement Op(string resource, string name, string interval, string? role)
    {
        var op = new XElement("op", new XAttribute("id", Id($"{resource}-{name}")), new XAttribute("name", name), new XAttribute("interval", interval));
        if (role is not null)
        {
            op.Add(new XAttribute("role", role));
        }

        return op;
    }

    /// <summary>A configured node (ids count from 1 in node order) with permanent attributes.</summary>
    public XElement Node(string name, int index, params (string Name, string Value)[] attributes)
    {
        var node = new XElement("node", new XAttribute("id", NodeId(index)), new XAttribute("uname", name));
        var set = new XElement("instance_attributes", new XAttribute("id", Id("nodes-" + name)));
        foreach (var (key, value) in attributes)
        {
            set.Add(NvPair(key, value));
        }

        node.Add(set);
        return node;
    }

    /// <summary>
    /// A <c>node_state</c>: up (member of the membership and the controller), down cleanly
    /// (<paramref name="left"/>: join and expected "down"), or neither (unclean: lost while a member).
    /// </summary>
    public static XElement NodeState(string name, int index, bool up, bool left) =>
        NodeState(name, index, new Membership(up ? "true" : "false", up ? "online" : "offline", left ? "down" : "member", left ? "down" : "member"));

    /// <summary>A <c>node_state</c> with these membership attributes (a null one is left out).</summary>
    public static XElement NodeState(string name, int index, Membership membership)
    {
        var state = new XElement("node_state", new XAttribute("id", NodeId(index)), new XAttribute("uname", name));
        Optional(state, "in_ccm", membership.InCcm);
        Optional(state, "crmd", membership.Crmd);
        state.Add(new XAttribute("crm-debug-origin", "differential"));
        Optional(state, "join", membership.Join);
        Optional(state, "expected", membership.Expected);
        return state;
    }

    private static void Optional(XElement element, string name, string? value)
    {
        if (value is not null)
        {
            element.Add(new XAttribute(name, value));
        }
    }

    /// <summary>The history of one resource on a node (add <see cref="LrmOp"/>s to it).</summary>
    public static XElement LrmResource(string primitive, string @class, string? provider, string type)
    {
        var resource = new XElement("lrm_resource", new XAttribute("id", primitive), new XAttribute("class", @class), new XAttribute("type", type));
        if (provider is not null)
        {
            resource.Add(new XAttribute("provider", provider));
        }

        return resource;
    }

    /// <summary>One recorded operation result, dated <see cref="LastRcChange"/>.</summary>
    public static XElement LrmOp(string primitive, string id, string name, int interval, int rc, int targetRc, int callId)
    {
        var key = $"{callId}:1:{targetRc}:00000000-0000-0000-0000-000000000000";
        return new XElement(
            "lrm_rsc_op",
            new XAttribute("id", id),
            new XAttribute("operation_key", $"{primitive}_{name}_{interval}"),
            new XAttribute("operation", name),
            new XAttribute("crm-debug-origin", "differential"),
            new XAttribute("crm_feature_set", CrmFeatureSet),
            new XAttribute("transition-key", key),
            new XAttribute("transition-magic", $"0:{rc};{key}"),
            new XAttribute("call-id", callId),
            new XAttribute("rc-code", rc),
            new XAttribute("op-status", 0),
            new XAttribute("interval", interval),
            new XAttribute("last-rc-change", LastRcChange),
            new XAttribute("exec-time", 10),
            new XAttribute("queue-time", 0),
            new XAttribute("op-digest", interval > 0 ? RecurringDigest : EmptyDigest));
    }

    private static string NodeId(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);
}
