using ClusterD.Agents;
using ClusterD.Agents.Metadata;

namespace ClusterD.Fencing.Scripts;

/// <summary>Where <c>fence_*</c> agents are found and how their runs are bounded.</summary>
public sealed record FenceScriptOptions
{
    /// <summary>The directories searched for agents; <c>/usr/sbin</c> by default.</summary>
    public FenceAgentLocator Locator { get; init; } = new();

    /// <summary>
    /// <c>PATH</c> of agent processes: agents call system tools (<c>ipmitool</c>, <c>ssh</c>, <c>snmpget</c>)
    /// that live in the sbin directories.
    /// </summary>
    public string Path { get; init; } = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Bytes of an action's stdout and stderr kept (head and tail).</summary>
    public int OutputLimit { get; init; } = AgentResult.DefaultOutputLimit;

    /// <summary>Bytes of <c>metadata</c> output accepted; more is refused, as a truncated document cannot be parsed.</summary>
    public int MetadataOutputLimit { get; init; } = AgentMetadataParser.MaxDocumentBytes;

    /// <summary>How long <c>metadata</c> may take (a Python agent starts in well under a second).</summary>
    public TimeSpan MetadataTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
