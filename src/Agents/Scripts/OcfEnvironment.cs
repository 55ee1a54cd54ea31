using System.Globalization;

namespace ClusterD.Agents.Scripts;

/// <summary>
/// The environment of an OCF agent process, as Pacemaker's executor builds it (OCF 1.1
/// "Environment variables"; Pacemaker <c>lib/services/services_ocf.c</c> and the executor's
/// meta attributes): <c>OCF_ROOT</c>, <c>OCF_RA_VERSION_*</c>, <c>OCF_RESOURCE_*</c>,
/// <c>OCF_RESKEY_name</c> per parameter, <c>OCF_RESKEY_CRM_meta_name</c> per meta attribute
/// (timeout and interval in milliseconds), the notify lists (as Pacemaker 2.1.5 sets them), <c>OCF_CHECK_LEVEL</c>, and the
/// <c>HA_*</c> settings the resource-agents shell library reads. Pure: no I/O.
/// </summary>
public static class OcfEnvironment
{
    /// <summary>The prefix Pacemaker tells agents to put before an exit reason on stderr (OCF 1.1 <c>ocf_exit_reason</c>).</summary>
    public const string ExitReasonPrefix = "ocf-exit-reason:";

    /// <summary>Builds the complete environment for <paramref name="request"/> to the OCF agent <paramref name="agent"/>.</summary>
    public static Dictionary<string, string> Build(AgentName agent, AgentRequest request, ScriptAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = options.Path,
            ["LC_ALL"] = "C",
            ["OCF_ROOT"] = options.OcfRoot,
            ["OCF_FUNCTIONS_DIR"] = options.OcfFunctionsDirectory ?? options.OcfRoot + "/lib/heartbeat",
            ["OCF_RA_VERSION_MAJOR"] = "1",
            ["OCF_RA_VERSION_MINOR"] = "1",
            ["OCF_RESOURCE_INSTANCE"] = request.ResourceInstance,
            ["OCF_RESOURCE_TYPE"] = agent.Type,
            ["OCF_RESOURCE_PROVIDER"] = agent.Provider ?? "",
            ["OCF_EXIT_REASON_PREFIX"] = ExitReasonPrefix,
            ["OCF_CHECK_LEVEL"] = request.CheckLevel.ToString(CultureInfo.InvariantCulture),
            ["HA_RSCTMP"] = options.ResourceTempDirectory,
            // "none" routes ocf_log to stderr, which the runner captures, instead of syslog.
            ["HA_LOGFACILITY"] = "none",
            ["HA_debug"] = "0",
        };

        foreach (var (name, value) in request.Parameters)
        {
            env["OCF_RESKEY_" + name] = value;
        }

        foreach (var (name, value) in request.Meta)
        {
            env[MetaKey(name)] = value;
        }

        env[MetaKey("timeout")] = Milliseconds(request.Timeout);
        env[MetaKey("interval")] = Milliseconds(request.Interval);
        if (request.NodeName is { Length: > 0 } node)
        {
            env[MetaKey("on_node")] = node;
        }

        if (request.Notification is { } notification)
        {
            AddNotification(env, notification);
        }

        return env;
    }

    /// <summary>The last <c>ocf-exit-reason:</c> line of <paramref name="output"/>, trimmed; null if none.</summary>
    public static string? FindExitReason(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string? reason = null;
        foreach (var line in output.AsSpan().EnumerateLines())
        {
            var at = line.IndexOf(ExitReasonPrefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                var text = line[(at + ExitReasonPrefix.Length)..].Trim();
                if (!text.IsEmpty)
                {
                    reason = text.ToString();
                }
            }
        }

        return reason;
    }

    private static void AddNotification(Dictionary<string, string> env, AgentNotification n)
    {
        // The variables Pacemaker 2.1.5 sets (checked in crm_simulate's transition graphs): the key_* pair names
        // the notification itself (a post notification of a start is "running", of a stop "stopped", ...).
        var pre = n.Type == NotifyType.Pre;
        env[MetaKey("notify_type")] = pre ? "pre" : "post";
        env[MetaKey("notify_operation")] = n.Operation.ToOcfName();
        env[MetaKey("notify_key_type")] = pre ? "pre" : "post";
        env[MetaKey("notify_key_operation")] = pre ? n.Operation.ToOcfName() : n.Operation switch
        {
            AgentAction.Start => "running",
            AgentAction.Stop => n.AfterFencing ? "stonith" : "stopped",
            AgentAction.Promote => "promoted",
            AgentAction.Demote => "demoted",
            _ => n.Operation.ToOcfName(),
        };
        AddList(env, "start", n.Start);
        AddList(env, "stop", n.Stop);
        AddList(env, "promote", n.Promote);
        AddList(env, "demote", n.Demote);
        AddList(env, "active", n.Active);
        env[MetaKey("notify_inactive_resource")] = Join(n.Inactive.Select(i => i.Resource));
        AddList(env, "promoted", n.Promoted);
        AddList(env, "unpromoted", n.Unpromoted);

        // The pre-2.1 names, which most agents in the field (drbd, mysql) still read.
        AddList(env, "master", n.Promoted);
        AddList(env, "slave", n.Unpromoted);
        env[MetaKey("notify_all_uname")] = Join(n.AllNodes);
        env[MetaKey("notify_available_uname")] = Join(n.AvailableNodes);
    }

    private static void AddList(Dictionary<string, string> env, string list, IEnumerable<NotifyInstance> instances)
    {
        var items = instances.ToList();
        env[MetaKey($"notify_{list}_resource")] = Join(items.Select(i => i.Resource));
        env[MetaKey($"notify_{list}_uname")] = Join(items.Select(i => i.Node).Where(n => n.Length > 0));
    }

    /// <summary>A space-separated list; an empty one is a single space, as Pacemaker passes it (agents test it with <c>for</c>, not <c>-z</c>).</summary>
    private static string Join(IEnumerable<string> items) => string.Join(' ', items) is { Length: > 0 } text ? text : " ";

    private static string MetaKey(string name) => "OCF_RESKEY_CRM_meta_" + name;

    private static string Milliseconds(TimeSpan span) =>
        ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
