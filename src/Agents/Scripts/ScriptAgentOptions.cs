namespace ClusterD.Agents.Scripts;

/// <summary>Where script agents live and what their environment contains.</summary>
public sealed record ScriptAgentOptions
{
    /// <summary><c>OCF_ROOT</c>: OCF agents are <c>$OCF_ROOT/resource.d/PROVIDER/TYPE</c>.</summary>
    public string OcfRoot { get; init; } = "/usr/lib/ocf";

    /// <summary>
    /// <c>OCF_FUNCTIONS_DIR</c>, the shell library the heartbeat agents source; null means
    /// <c>$OCF_ROOT/lib/heartbeat</c>.
    /// </summary>
    public string? OcfFunctionsDirectory { get; init; }

    /// <summary>
    /// <c>HA_RSCTMP</c>: where agents keep state files (Dummy's <c>Dummy-INSTANCE.state</c>);
    /// created if missing. resource-agents' own default, cleared at boot because it is on tmpfs.
    /// </summary>
    public string ResourceTempDirectory { get; init; } = "/run/resource-agents";

    /// <summary>LSB init scripts: <c>lsb:NAME</c> is <c>INIT_DIR/NAME</c>.</summary>
    public string InitDirectory { get; init; } = "/etc/init.d";

    /// <summary>The <c>systemctl</c> binary for <c>systemd:UNIT</c>.</summary>
    public string SystemctlPath { get; init; } = "/usr/bin/systemctl";

    /// <summary>sd_booted(3): systemd is PID 1 exactly when this directory exists.</summary>
    public string SystemdRuntimeDirectory { get; init; } = "/run/systemd/system";

    /// <summary>
    /// <c>PATH</c> of agent processes. Agents call many system tools (<c>mount</c>, <c>fuser</c>,
    /// <c>ip</c>) that live in the sbin directories, which a non-login environment may lack.
    /// </summary>
    public string Path { get; init; } = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Bound of captured output for every action but <c>meta-data</c>.</summary>
    public int OutputLimit { get; init; } = AgentResult.DefaultOutputLimit;

    /// <summary>Bound for <c>meta-data</c>, which must arrive whole to be parsed: the parser's own size limit.</summary>
    public int MetaDataOutputLimit { get; init; } = Metadata.AgentMetadataParser.MaxDocumentBytes;
}
