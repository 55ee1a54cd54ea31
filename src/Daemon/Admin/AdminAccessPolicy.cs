namespace ClusterD.Daemon.Admin;

/// <summary>
/// Who may call what on the admin API, decided from the caller's kernel credentials only.
/// Root, the daemon's own user and members of the admin group may call everything; members of the
/// read-only group may call <see cref="ReadOnlyMethods"/>; everyone else nothing. A method not in
/// <see cref="ReadOnlyMethods"/> (including any added later) needs full access, so the default is deny.
/// </summary>
internal sealed class AdminAccessPolicy(uint daemonUid, AdminGroup? adminGroup, AdminGroup? readOnlyGroup)
{
    /// <summary>The methods that only read: status and the event stream (short names, as in admin.proto).</summary>
    public static readonly IReadOnlySet<string> ReadOnlyMethods = new HashSet<string>(StringComparer.Ordinal) { "GetStatus", "WatchEvents" };

    /// <summary>
    /// The methods that need full access, listed so a test can check every RPC is classified: the operator
    /// commands that change the cluster, the messaging benchmark, and GetConfiguration (resource and fence
    /// device parameters may hold passwords, as a CIB's do). Not consulted: anything not read-only needs full access.
    /// </summary>
    public static readonly IReadOnlySet<string> FullAccessMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "BenchMessaging", "Standby", "Cleanup", "MoveResource", "ClearResource", "Switchover", "Maintenance", "Fence", "LoadConfiguration", "GetConfiguration",
    };

    /// <summary>Root and the daemon's own user: full access whatever their groups, and never held to the per-user connection share.</summary>
    public bool IsTrusted(uint uid) => uid == 0 || uid == daemonUid;

    public AdminAccess AccessOf(PeerCredentials caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (IsTrusted(caller.Uid) || (adminGroup is { } admin && caller.IsInGroup(admin.Gid)))
        {
            return AdminAccess.Full;
        }

        return readOnlyGroup is { } readOnly && caller.IsInGroup(readOnly.Gid) ? AdminAccess.ReadOnly : AdminAccess.None;
    }

    /// <summary>Null when <paramref name="caller"/> may call <paramref name="method"/>, else the reason to give them.</summary>
    /// <param name="method">The gRPC method path (<c>/clusterd.admin.v1.ClusterAdmin/GetStatus</c>) or its short name.</param>
    public string? Refusal(PeerCredentials? caller, string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var name = method[(method.LastIndexOf('/') + 1)..];
        if (caller is null)
        {
            return $"{name}: the caller's credentials could not be read from the admin socket";
        }

        var access = AccessOf(caller);
        if (access == AdminAccess.Full || (access == AdminAccess.ReadOnly && ReadOnlyMethods.Contains(name)))
        {
            return null;
        }

        var full = adminGroup is { } admin ? $"root or membership of group '{admin.Name}'" : "root";
        if (access == AdminAccess.ReadOnly)
        {
            return $"uid {caller.Uid} (read-only group '{readOnlyGroup!.Value.Name}') may only call GetStatus and WatchEvents; {name} needs {full}";
        }

        var anyRead = readOnlyGroup is { } ro ? $"; reading status needs group '{ro.Name}'" : "";
        return $"uid {caller.Uid} may not use the admin API: {name} needs {full}{anyRead}";
    }
}
