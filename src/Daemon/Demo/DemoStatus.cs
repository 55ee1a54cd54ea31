using ClusterD.Admin.V1;

namespace ClusterD.Daemon.Demo;

/// <summary>Reading the demo's resource shape out of a DC's status, and a compact <c>crm_mon -1</c> of it.</summary>
internal static class DemoStatus
{
    private const string Clone = "drbd_mysql";
    private const string Group = "mysql";

    /// <summary>The node where the clone is Promoted and the whole group is Started; null while there is none.</summary>
    public static string? Active(ClusterStatusReply status)
    {
        var promoted = Nodes(status, Clone, "Promoted").ToList();
        var members = status.Resources.Where(r => r.GroupId == Group).ToList();
        return promoted.Count == 1 && members.Count > 0 && members.All(m => m.Instances.Any(i => i.Node == promoted[0] && i.Role == "Started"))
            ? promoted[0]
            : null;
    }

    /// <summary>The members of group mysql, in the group's order.</summary>
    public static IReadOnlyList<string> GroupMembers(ClusterStatusReply status) =>
        status.Resources.Where(r => r.GroupId == Group).Select(r => r.Id).ToList();

    /// <summary>The fence agent of the first fence device (<c>stonith:fence_x</c> gives fence_x), or "the fence device".</summary>
    public static string FenceAgent(ClusterStatusReply status) =>
        status.Resources.Select(r => r.Agent).FirstOrDefault(a => a.StartsWith("stonith:", StringComparison.Ordinal)) is { } agent
            ? agent["stonith:".Length..]
            : "the fence device";

    /// <summary>
    /// The DC's view is settled with <paramref name="active"/> active, <paramref name="passive"/> (when given)
    /// holding the Unpromoted instance, and no action in flight.
    /// </summary>
    public static bool Settled(ClusterStatusReply status, string active, string? passive) =>
        status.IsDc
        && status.PendingActions.Count == 0
        && Active(status) == active
        && (passive is null || Nodes(status, Clone, "Unpromoted").Contains(passive));

    /// <summary>
    /// The status like <c>crm_mon -1</c>, shortened. The daemon's warnings are the most recent warning events
    /// (kept until pushed out, also when no longer true), so the drill shows them where they happened, in
    /// its timelines, and here only with <paramref name="warnings"/> (when it explains a failure).
    /// </summary>
    public static IEnumerable<string> Render(ClusterStatusReply status, bool warnings = false)
    {
        yield return $"Cluster {status.Cluster}: {(status.Quorate ? "quorate" : "NOT QUORATE")}, view {status.RingId}, DC {(status.Dc.Length > 0 ? status.Dc : "none")}";
        foreach (var warning in warnings ? status.Warnings : [])
        {
            yield return "  recent warning: " + warning;
        }

        string Names(Func<NodeStatus, bool> which) => string.Join(' ', status.Nodes.Where(which).Select(n => n.Name));
        yield return $"  Online: [ {Names(n => n.Online && !n.Standby)} ]"
            + (status.Nodes.Any(n => n.Standby) ? $"  Standby: [ {Names(n => n.Standby)} ]" : "")
            + (status.Nodes.Any(n => !n.Online) ? $"  OFFLINE: [ {Names(n => !n.Online)} ]" : "");
        foreach (var resource in status.Resources.Where(r => r.GroupId.Length == 0 && r.CloneId.Length == 0))
        {
            yield return $"  {resource.Id,-16}({resource.Agent}):  {Where(resource)}";
        }

        foreach (var clone in status.Resources.Where(r => r.CloneId.Length > 0).GroupBy(r => r.CloneId))
        {
            var primitive = clone.First();
            yield return $"  Clone Set: {clone.Key} [{primitive.Id}]{(primitive.Promotable ? " (promotable)" : "")}";
            foreach (var role in primitive.Instances.GroupBy(i => i.Role).OrderBy(g => RoleOrder(g.Key)))
            {
                yield return $"    {role.Key}: [ {string.Join(' ', role.Select(i => i.Node))} ]";
            }
        }

        foreach (var group in status.Resources.Where(r => r.GroupId.Length > 0 && r.CloneId.Length == 0).GroupBy(r => r.GroupId))
        {
            yield return $"  Resource Group: {group.Key}";
            foreach (var member in group)
            {
                yield return $"    {member.Id,-14}({member.Agent}):  {Where(member)}";
            }
        }

        foreach (var failed in status.FailedActions)
        {
            yield return $"  Failed: {failed.Action} {failed.Resource} on {failed.Node}: {failed.Message}";
        }

        foreach (var fence in status.Fencing)
        {
            yield return $"  Fencing: {fence.Action} of {fence.Target} by {fence.Device} (requested by {fence.RequestedBy}): {fence.Result}";
        }
    }

    private static IEnumerable<string> Nodes(ClusterStatusReply status, string resource, string role) =>
        status.Resources.Where(r => r.Id == resource).SelectMany(r => r.Instances).Where(i => i.Role == role).Select(i => i.Node);

    private static string Where(ResourceStatus resource)
    {
        var running = resource.Instances.Where(i => i.Role != "Stopped").ToList();
        return running.Count == 0 ? "Stopped" : string.Join(", ", running.Select(i => $"{i.Role} {i.Node}"));
    }

    private static int RoleOrder(string role) => role switch
    {
        "Promoted" => 0,
        "Unpromoted" => 1,
        "Started" => 2,
        "Failed" => 3,
        _ => 4,
    };
}
