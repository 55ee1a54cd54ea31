using System.Globalization;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// What a CIB <c>node_state</c> says about a node, by Pacemaker 2.1.5's rules (checked with
/// <c>crm_simulate</c> on every combination; docs/scheduler.md): <c>in_ccm</c> (in the membership),
/// <c>crmd</c> (controller up), <c>join</c>, <c>expected</c> and the transient <c>shutdown</c> attribute.
/// Pending nodes in the membership (up but not joined yet) run nothing new and keep what they run
/// (<see cref="NodeStatus.Pending"/>).
/// </summary>
internal readonly record struct NodeMembership(NodeMembership.Kind State, bool Online, bool ShuttingDown)
{
    internal enum Kind
    {
        Offline,
        Pending,
        Online,
        Unclean,
    }

    /// <summary>
    /// <see cref="Online"/> is Pacemaker's own flag (also true for a pending node in the membership, or a
    /// node shutting down with its controller up): resources recorded active on a node without it are
    /// thought to be active there, and the node is fenced.
    /// </summary>
    public static NodeMembership Of(string? inCcm, string? crmd, string? join, string? expected, string? shutdown, bool fencing)
    {
        var member = IsTrueOrTimestamp(inCcm);
        var controller = crmd is { } c && (c.Equals("online", StringComparison.OrdinalIgnoreCase) || IsTimestamp(c));
        var shuttingDown = !string.IsNullOrEmpty(shutdown) && shutdown != "0";
        return fencing
            ? WithFencing(inCcm is not null, member, controller, join, expected, shuttingDown)
            : WithoutFencing(member, controller, join, expected, shuttingDown);
    }

    private static NodeMembership WithFencing(bool seen, bool member, bool controller, string? join, string? expected, bool shuttingDown)
    {
        // A node asked to shut down cannot be fenced for being down: it is up as long as its controller is.
        if (shuttingDown)
        {
            return new(controller ? Kind.Online : Kind.Offline, controller, ShuttingDown: controller);
        }

        if (!seen || Is(join, "banned"))
        {
            return Unclean(member);
        }

        // Not expected up (expected="down" or none): down cleanly, or still coming up.
        if (!Is(expected, "member"))
        {
            return member || controller ? new(Kind.Pending, member, false) : new(Kind.Offline, false, false);
        }

        if (!member)
        {
            return Unclean(false);
        }

        if (!controller || join is null)
        {
            return Unclean(true);
        }

        if (Is(join, "member"))
        {
            return new(Kind.Online, true, false);
        }

        return Is(join, "pending") || Is(join, "down") ? new(Kind.Pending, true, false) : Unclean(true);
    }

    private static NodeMembership WithoutFencing(bool member, bool controller, string? join, string? expected, bool shuttingDown)
    {
        if (!member)
        {
            return new(Kind.Offline, false, false);
        }

        if (controller)
        {
            var joined = Is(join, "member");
            return new(joined ? Kind.Online : Kind.Offline, joined, ShuttingDown: joined && shuttingDown);
        }

        return !shuttingDown && Is(expected, "member") ? Unclean(false) : new(Kind.Offline, false, false);
    }

    private static NodeMembership Unclean(bool online) => new(Kind.Unclean, online, false);

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    // Pacemaker 2.1.7+ writes timestamps in in_ccm/crmd for "since when"; older ones true/online.
    private static bool IsTrueOrTimestamp(string? text) => (AttributeValues.TryParseBool(text, out var b) && b) || IsTimestamp(text);

    private static bool IsTimestamp(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 1;
}
