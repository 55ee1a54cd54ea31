using System.Text;

namespace ClusterD.Cli.Rendering;

/// <summary>The resource list, as <c>crm_mon</c> shows it: clone sets by role, group members under their group.</summary>
internal static partial class StatusTextRenderer
{
    private static readonly string[] CloneRoles = ["Promoted", "Unpromoted", "Started", "Failed"];

    private static void AppendWarnings(StringBuilder s, StatusView view)
    {
        var warnings = view.Warnings ?? [];
        foreach (var warning in warnings)
        {
            Line(s, $"*** WARNING: {warning} ***");
        }

        if (view.MaintenanceMode)
        {
            Line(s, "*** Resource management is DISABLED: maintenance-mode is on ***");
        }

        if (warnings.Count > 0 || view.MaintenanceMode)
        {
            s.AppendLine();
        }
    }

    private static void AppendResources(StringBuilder s, StatusView view)
    {
        s.AppendLine("Full List of Resources:");
        if (view.Resources.Count == 0)
        {
            s.AppendLine("  * No resources");
            return;
        }

        // One block per clone, else per group, else per primitive, in the order the daemon lists them.
        foreach (var block in view.Resources.GroupBy(r => r.CloneId ?? r.GroupId ?? r.Id, StringComparer.Ordinal))
        {
            var members = block.ToList();
            if (members[0].CloneId is { } clone)
            {
                AppendClone(s, clone, members);
            }
            else if (members[0].GroupId is { } group)
            {
                Line(s, $"  * Resource Group: {group}:");
                foreach (var member in members)
                {
                    AppendPrimitive(s, member, "    ");
                }
            }
            else
            {
                AppendPrimitive(s, members[0], "  ");
            }
        }
    }

    /// <summary>"Clone Set: ms [drbd] (promotable):" then one line per role with its nodes; a cloned group lists each member so.</summary>
    private static void AppendClone(StringBuilder s, string clone, List<ResourceView> members)
    {
        var child = members[0].GroupId ?? members[0].Id;
        Line(s, $"  * Clone Set: {clone} [{child}]{(members[0].Promotable ? " (promotable)" : "")}:");
        foreach (var member in members)
        {
            var indent = "    ";
            if (members.Count > 1)
            {
                Line(s, $"    * {member.Id} ({member.Agent}):");
                indent = "      ";
            }

            var any = false;
            foreach (var role in CloneRoles)
            {
                var nodes = member.Instances.Where(i => i.Role == role && i.Node.Length > 0).Select(i => i.Node).ToList();
                if (nodes.Count > 0)
                {
                    Line(s, $"{indent}* {role}: [ {string.Join(' ', nodes)} ]");
                    any = true;
                }
            }

            if (!any)
            {
                Line(s, $"{indent}* Stopped");
            }
        }
    }

    /// <summary>"id (agent): Started node1", "Stopped" without instances, one line per instance when there are several.</summary>
    private static void AppendPrimitive(StringBuilder s, ResourceView resource, string indent)
    {
        if (resource.Instances.Count <= 1)
        {
            var state = resource.Instances.Count == 0 ? "Stopped" : Instance(resource.Instances[0]);
            Line(s, $"{indent}* {resource.Id} ({resource.Agent}): {state}");
            return;
        }

        Line(s, $"{indent}* {resource.Id} ({resource.Agent}):");
        foreach (var instance in resource.Instances)
        {
            Line(s, $"{indent}  * {Instance(instance)}");
        }
    }

    /// <summary>"Started node1", or just the role when the instance has no node (Stopped).</summary>
    private static string Instance(InstanceView instance) =>
        instance.Node.Length == 0 ? instance.Role : $"{instance.Role} {instance.Node}";
}
