using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ClusterD.Membership.Heartbeats;
using ClusterD.Membership.Quorum;
using ClusterD.Platform.Files;

namespace ClusterD.Membership.Configuration;

/// <summary>
/// Turns a parsed clusterd.conf / corosync.conf into a validated <see cref="ClusterConfiguration"/>.
/// Every key is either used, known to corosync but without effect here (reported as a warning
/// saying so), or unknown (a warning too): nothing is ignored silently. Errors name file, line, key.
/// </summary>
public static partial class ClusterConfigurationLoader
{
    public const int DefaultPort = 5405;
    public const int DefaultMessagingPort = 5406;
    public static readonly TimeSpan DefaultToken = TimeSpan.FromMilliseconds(3000);
    public static readonly TimeSpan DefaultTokenCoefficient = TimeSpan.FromMilliseconds(650);

    /// <summary>Corosync keys that are valid but have no meaning for clusterd's transport.</summary>
    private static readonly string[] IgnoredTotemKeys =
    [
        "version", "consensus", "join", "merge", "send_join", "hold", "downcheck", "fail_recv_const", "seqno_unchanged_const",
        "token_retransmit", "token_retransmits_before_loss_const", "token_warning", "max_network_delay", "window_size",
        "max_messages", "miss_count_const", "rrp_mode", "netmtu", "threads", "ip_version", "link_mode", "crypto_model",
        "secauth", "clear_node_high_bit", "knet_ping_timeout", "knet_pong_count", "knet_pmtud_interval",
        "knet_compression_model", "knet_compression_threshold", "knet_compression_level", "block_unlisted_ips", "keyfile",
        "heartbeat_failures_allowed", "config_version", "nodeid",
    ];

    private static readonly string[] IgnoredInterfaceKeys =
    [
        "ttl", "bindnetaddr", "mcastaddr", "broadcast", "knet_link_priority", "knet_ping_timeout",
        "knet_ping_precision", "knet_pong_count", "knet_transport",
    ];

    private static readonly string[] IgnoredQuorumKeys =
        ["last_man_standing", "last_man_standing_window", "auto_tie_breaker", "auto_tie_breaker_node", "allow_downscale", "expected_votes_tracking"];

    private static readonly string[] IgnoredLoggingKeys =
        ["fileline", "function_name", "logfile_priority", "syslog_facility", "syslog_priority", "blackbox", "logger_subsys", "subsys", "tags"];

    private static readonly string[] IgnoredTopSections = ["system", "resources", "uidgid", "qb", "nozzle"];

    /// <summary>
    /// The largest configuration file read (1 MiB). A full corosync.conf of 32 nodes with 8 links each is
    /// about 20 KiB; anything near this bound is not a configuration, and reading stops there.
    /// </summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The longest path accepted (PATH_MAX is 4096 bytes with the terminating NUL).</summary>
    public const int MaxPathBytes = 4095;

    /// <summary>The longest admin socket path: <c>sun_path</c> has 108 bytes with the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and validates <paramref name="path"/>: a regular file of at most <see cref="MaxFileBytes"/> bytes of UTF-8.</summary>
    public static ClusterConfiguration Load(string path)
    {
        string text;
        try
        {
            var bytes = RegularFile.Read(path, MaxFileBytes);
            text = StrictUtf8.GetString(bytes).TrimStart('\uFEFF');
        }
        catch (FileReadException e) when (e.Problem == FileReadProblem.Missing)
        {
            throw new ConfigException(path, 0, "file", "cannot be read: no such file");
        }
        catch (FileReadException e)
        {
            throw new ConfigException(path, 0, "file", e.Message);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new ConfigException(path, 0, "file", "is not UTF-8 text");
        }

        return Parse(text, path);
    }

    public static ClusterConfiguration Parse(string text, string fileName)
    {
        var root = CorosyncConfParser.Parse(text, fileName);
        var ctx = new Context(fileName);
        ctx.WarnUnknown(root, [], ["totem", "nodelist", "quorum", "logging", "clusterd", .. IgnoredTopSections], []);
        foreach (var s in root.Sections.Where(s => IgnoredTopSections.Contains(s.Name)))
        {
            ctx.Warn(s.Line, s.Name, "section has no effect in clusterd");
        }

        var nodesSection = ctx.Single(root, "nodelist", required: true)!;
        var totemSection = ctx.Single(root, "totem", required: false);
        var linkPorts = ReadLinkPorts(ctx, totemSection);
        var nodes = ReadNodes(ctx, nodesSection, linkPorts);
        var totem = ReadTotem(ctx, totemSection, nodes.Count, linkPorts);
        var quorumSection = ctx.Single(root, "quorum", required: false);
        var quorum = ReadQuorum(ctx, quorumSection, nodes);
        var witness = quorumSection is null ? null : ReadWitness(ctx, ctx.Single(quorumSection, "witness", required: false));
        var logging = ReadLogging(ctx, ctx.Single(root, "logging", required: false));
        var clusterd = ReadClusterD(ctx, ctx.Single(root, "clusterd", required: false));
        return new ClusterConfiguration(fileName, totem, nodes, quorum, logging, clusterd, ctx.Warnings) { KeyLines = ctx.KeyLines, Witness = witness };
    }

    private static int[] ReadLinkPorts(Context ctx, ConfSection? totem)
    {
        var ports = new int[8];
        Array.Fill(ports, DefaultPort);
        if (totem is null)
        {
            return ports;
        }

        foreach (var iface in totem.SectionsNamed("interface"))
        {
            ctx.WarnUnknown(iface, ["linknumber", "ringnumber", "mcastport", "knet_ping_interval"], [], IgnoredInterfaceKeys);
            var link = (int)(ctx.UInt(iface, "linknumber", 0, 7) ?? ctx.UInt(iface, "ringnumber", 0, 7) ?? 0);
            if (ctx.UInt(iface, "mcastport", 1, 65535) is { } port)
            {
                ports[link] = (int)port;
            }
        }

        return ports;
    }

    private static TotemOptions ReadTotem(Context ctx, ConfSection? totem, int nodeCount, int[] linkPorts)
    {
        var empty = new ConfSection("totem", 0, [], []);
        totem ??= empty;
        ctx.WarnUnknown(totem,
            ["cluster_name", "token", "token_coefficient", "transport", "crypto_cipher", "crypto_hash", "knet_ping_interval"],
            ["interface"], IgnoredTotemKeys);

        var clusterName = ctx.String(totem, "cluster_name") ?? "hacluster";
        if (System.Text.Encoding.UTF8.GetByteCount(clusterName) is 0 or > HeartbeatCodec.MaxClusterNameBytes)
        {
            ctx.Fail(totem, "cluster_name", $"must have 1 to {HeartbeatCodec.MaxClusterNameBytes} bytes (UTF-8)");
        }

        var token = TimeSpan.FromMilliseconds(ctx.UInt(totem, "token", 10, 600_000) ?? (uint)DefaultToken.TotalMilliseconds);
        var coefficient = TimeSpan.FromMilliseconds(
            ctx.UInt(totem, "token_coefficient", 0, 60_000) ?? (uint)DefaultTokenCoefficient.TotalMilliseconds);
        if (nodeCount > 2)
        {
            token += coefficient * (nodeCount - 2);
        }

        // A heartbeat every token/5 survives four lost datagrams in a row before a node is lost. corosync
        // takes knet_ping_interval per interface; clusterd uses one interval, the shortest given.
        var configured = totem.SectionsNamed("interface").Select(i => ctx.UInt(i, "knet_ping_interval", 1, 600_000))
            .Append(ctx.UInt(totem, "knet_ping_interval", 1, 600_000)).Where(v => v is not null).Min();
        var interval = configured is { } ms ? TimeSpan.FromMilliseconds(ms) : token / 5;
        if (interval >= token)
        {
            ctx.Fail(totem, "knet_ping_interval", $"must be shorter than the token timeout ({token.TotalMilliseconds} ms)");
        }

        var transport = ctx.String(totem, "transport") ?? "knet";
        if (transport is not ("udpu" or "knet"))
        {
            ctx.Fail(totem, "transport",
                $"'{transport}' is not supported: clusterd sends unicast UDP to every node (use 'udpu' or 'knet')");
        }

        // Unlike corosync, node-to-node messages are encrypted unless crypto_cipher says none (docs/security.md).
        var cipher = ctx.OneOf(totem, "crypto_cipher", "aes256", ["none", "aes256", "aes192", "aes128"]);
        if (cipher == "none")
        {
            ctx.Warn(totem, "crypto_cipher", "none: node-to-node messages (configuration, actions, results) travel in clear text, authenticated only");
        }

        var hash = ctx.OneOf(totem, "crypto_hash", "none", ["none", "md5", "sha1", "sha256", "sha384", "sha512"]);
        if (hash is not ("none" or "sha256"))
        {
            ctx.Warn(totem, "crypto_hash", $"'{hash}' has no effect: clusterd always authenticates with HMAC-SHA256");
        }

        return new TotemOptions(clusterName, token, interval, transport, cipher, hash, linkPorts);
    }

    private static NodeList ReadNodes(Context ctx, ConfSection nodelist, int[] linkPorts)
    {
        ctx.WarnUnknown(nodelist, [], ["node"], []);
        var nodes = new List<NodeConfig>();
        var addressKeys = Enumerable.Range(0, 8).Select(i => $"ring{i}_addr").ToArray();
        foreach (var node in nodelist.SectionsNamed("node"))
        {
            ctx.WarnUnknown(node, ["nodeid", "name", "quorum_votes", .. addressKeys], [], []);
            var id = ctx.UInt(node, "nodeid", 1, uint.MaxValue) ?? ctx.FailMissing(node, "nodeid");
            var name = ctx.String(node, "name") ?? $"node{id}";
            var votes = ctx.UInt(node, "quorum_votes", 0, 255) ?? 1;
            var links = new IPEndPoint?[addressKeys.Length];
            for (var i = 0; i < addressKeys.Length; i++)
            {
                if (ctx.String(node, addressKeys[i]) is { } address)
                {
                    links[i] = new IPEndPoint(ctx.Address(node, addressKeys[i], address), linkPorts[i]);
                }
            }

            var linkCount = Array.FindLastIndex(links, l => l is not null) + 1;
            if (linkCount == 0)
            {
                ctx.FailMissing(node, "ring0_addr");
            }

            foreach (var i in Enumerable.Range(0, linkCount).Where(i => links[i] is not null))
            {
                var owner = nodes.FirstOrDefault(n => n.Links.Any(l => l?.Address.Equals(links[i]!.Address) == true));
                if (owner is not null || links[..i].Any(l => l?.Equals(links[i]) == true))
                {
                    ctx.Fail(node, addressKeys[i], $"address {links[i]!.Address} is already used by {(owner is null ? "another link of this node" : $"node {owner.Name}")}");
                }
            }

            if (nodes.Any(n => n.Id.Value == id))
            {
                ctx.Fail(node, "nodeid", $"node id {id} is used twice");
            }

            if (nodes.Any(n => n.Name == name))
            {
                ctx.Fail(node, "name", $"node name '{name}' is used twice");
            }

            nodes.Add(new NodeConfig(new NodeId(id), name, links[..linkCount], votes));
        }

        if (nodes.Count == 0)
        {
            ctx.Fail(nodelist, "node", "the nodelist has no node");
        }

        if (nodes.Count > NodeList.MaxNodes)
        {
            ctx.Fail(nodelist, "node", $"at most {NodeList.MaxNodes} nodes are supported");
        }

        return new NodeList(nodes);
    }

    private static QuorumOptions ReadQuorum(Context ctx, ConfSection? quorum, NodeList nodes)
    {
        quorum ??= new ConfSection("quorum", 0, [], []);
        ctx.WarnUnknown(quorum, ["provider", "expected_votes", "two_node", "wait_for_all"], ["device", "witness"], IgnoredQuorumKeys);
        foreach (var device in quorum.SectionsNamed("device"))
        {
            ctx.Warn(device.Line, "quorum.device", "corosync-qdevice is not supported; a clusterd witness will take its place");
        }

        var provider = ctx.String(quorum, "provider");
        if (provider is not (null or "corosync_votequorum"))
        {
            ctx.Fail(quorum, "provider", $"'{provider}' is not supported (use corosync_votequorum)");
        }

        var totalVotes = (uint)nodes.Nodes.Sum(n => n.Votes);
        var expected = ctx.UInt(quorum, "expected_votes", 1, 1024) ?? totalVotes;
        var twoNode = ctx.Bool(quorum, "two_node") ?? false;
        if (twoNode && (nodes.Count != 2 || expected != 2))
        {
            ctx.Fail(quorum, "two_node", $"needs exactly two nodes with one vote each (nodes: {nodes.Count}, expected votes: {expected})");
        }

        // votequorum(5): two_node implies wait_for_all unless it is explicitly turned off.
        var waitForAll = ctx.Bool(quorum, "wait_for_all") ?? twoNode;
        return new QuorumOptions(expected, twoNode, waitForAll);
    }

    /// <summary>
    /// <c>quorum.witness</c>: the cloud witness of fence races. Its type must be known; its keys are kept with their
    /// lines (the fencing side checks their values), and keys it does not have are warned about.
    /// </summary>
    private static WitnessSection? ReadWitness(Context ctx, ConfSection? found)
    {
        if (found is null)
        {
            return null;
        }

        var section = found with { Name = "quorum.witness" };
        var type = ctx.String(section, "type");
        if (type is null)
        {
            ctx.FailMissing(section, "type");
        }
        else if (type != WitnessSection.AzureBlob)
        {
            ctx.Fail(section, "type", $"'{type}' is not a witness type clusterd knows (azure_blob)");
        }

        var keys = WitnessSection.AzureBlobKeys;
        ctx.WarnUnknown(section, keys, [], []);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in section.Entries.Where(e => keys.Contains(e.Key)))
        {
            values[entry.Key] = ctx.String(section, entry.Key)!;
            lines[entry.Key] = entry.Line;
        }

        return new WitnessSection(section.Line, values, lines);
    }

    private static LoggingOptions ReadLogging(Context ctx, ConfSection? logging)
    {
        logging ??= new ConfSection("logging", 0, [], []);
        ctx.WarnUnknown(logging, ["debug", "to_stderr", "to_syslog", "to_logfile", "logfile", "timestamp"], [], IgnoredLoggingKeys);
        var debug = ctx.String(logging, "debug") is { } d && d is "on" or "yes" or "1" or "trace";
        return new LoggingOptions(
            debug,
            ctx.Bool(logging, "to_stderr") ?? true,
            ctx.Bool(logging, "to_syslog") ?? true,
            ctx.Bool(logging, "to_logfile") ?? false,
            ctx.String(logging, "logfile"),
            ctx.Bool(logging, "timestamp") ?? false);
    }

    private static ClusterDOptions ReadClusterD(Context ctx, ConfSection? section)
    {
        section ??= new ConfSection("clusterd", 0, [], []);
        ctx.WarnUnknown(section,
            ["state_dir", "admin_socket", "admin_socket_group", "admin_readonly_group", "authkey", "authkey_accept", "messaging_port", "health_probe_port", "fence_agent_dir", "agent_state_dir"],
            ["watchdog", "scheduled_events"], []);
        var accept = ctx.Paths(section, "authkey_accept");
        var probePort = ctx.UInt(section, "health_probe_port", 1, 65535);
        return new ClusterDOptions(
            ctx.Path(section, "state_dir") ?? "/var/lib/clusterd",
            ctx.Path(section, "admin_socket", MaxSocketPathBytes) ?? "/run/clusterd/clusterd.sock",
            ctx.String(section, "admin_socket_group"),
            ctx.Path(section, "authkey") ?? "/etc/clusterd/authkey",
            accept,
            (int)(ctx.UInt(section, "messaging_port", 1, 65535) ?? DefaultMessagingPort),
            probePort is null ? null : (int)probePort)
        {
            AdminReadOnlyGroup = ctx.String(section, "admin_readonly_group"),
            FenceAgentDir = ctx.Path(section, "fence_agent_dir"),
            AgentStateDir = ctx.Path(section, "agent_state_dir"),
            Watchdog = ReadWatchdog(ctx, ctx.Single(section, "watchdog", required: false)),
            ScheduledEvents = ReadScheduledEvents(ctx, ctx.Single(section, "scheduled_events", required: false)),
        };
    }

    /// <summary><c>clusterd { watchdog { device timeout } }</c>: SBD's SBD_WATCHDOG_DEV and SBD_WATCHDOG_TIMEOUT (default 5 s).</summary>
    private static WatchdogOptions? ReadWatchdog(Context ctx, ConfSection? section)
    {
        if (section is null)
        {
            return null;
        }

        ctx.WarnUnknown(section, ["device", "timeout"], [], []);
        var device = ctx.Path(section, "device") ?? ctx.Fail<string>(section, "device", "is required in a watchdog section (e.g. /dev/watchdog)");
        var timeout = ctx.UInt(section, "timeout", 1, 3600) ?? WatchdogOptions.DefaultTimeoutSeconds;
        return new WatchdogOptions(device, TimeSpan.FromSeconds(timeout));
    }

    /// <summary><c>clusterd { scheduled_events { mode endpoint interval ca_bundle } }</c>.</summary>
    private static ScheduledEventsOptions ReadScheduledEvents(Context ctx, ConfSection? section)
    {
        if (section is null)
        {
            return ScheduledEventsOptions.Default;
        }

        ctx.WarnUnknown(section, ["mode", "endpoint", "interval", "ca_bundle"], [], []);
        var mode = ctx.OneOf(section, "mode", "auto", ["auto", "on", "off"]) switch
        {
            "on" => ScheduledEventsMode.On,
            "off" => ScheduledEventsMode.Off,
            _ => ScheduledEventsMode.Auto,
        };
        Uri? endpoint = null;
        if (ctx.String(section, "endpoint") is { } text
            && (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Query.Length > 0))
        {
            ctx.Fail(section, "endpoint", $"'{text}' is not an http or https address without a query (e.g. http://169.254.169.254/)");
        }

        var interval = ctx.UInt(section, "interval", 1, 60) ?? (uint)ScheduledEventsOptions.Default.Interval.TotalSeconds;
        return new ScheduledEventsOptions(mode, endpoint ?? ScheduledEventsOptions.Default.Endpoint, TimeSpan.FromSeconds(interval), ctx.Path(section, "ca_bundle"));
    }
}
