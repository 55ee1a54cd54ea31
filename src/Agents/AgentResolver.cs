using System.Collections.Concurrent;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Agents;

/// <summary>
/// Finds the agent for a name. Resolution order: (1) a native agent registered in the
/// <see cref="AgentRegistry"/> for the name, unless the script is forced; (2) the script of the
/// name's class: <c>ocf:</c> from <c>$OCF_ROOT/resource.d</c>, <c>lsb:</c> from the init
/// directory, <c>systemd:</c> through systemctl. A script that does not exist answers every
/// action with <see cref="OcfExitCode.NotInstalled"/>, without running anything.
/// </summary>
/// <remarks>
/// The script is forced by writing the name with the <c>script:</c> prefix
/// (<c>script:ocf:heartbeat:Dummy</c>) or by the meta attribute <c>clusterd-native=false</c>
/// on the resource (Pacemaker boolean spellings: false, no, off, n, 0).
/// </remarks>
public sealed class AgentResolver
{
    /// <summary>The meta attribute that, set to false, forces the script agent.</summary>
    public const string NativeMetaAttribute = "clusterd-native";

    private readonly AgentRegistry _registry;
    private readonly ScriptAgentOptions _options;
    private readonly AgentProcessRunner _runner;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<string, IResourceAgent> _scripts = new(StringComparer.Ordinal);

    public AgentResolver(AgentRegistry registry, ScriptAgentOptions options, AgentProcessRunner runner, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runner);
        _registry = registry;
        _options = options;
        _runner = runner;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    /// <summary>Parses <paramref name="name"/> (throws <see cref="FormatException"/>) and resolves it.</summary>
    public IResourceAgent Resolve(string name, IReadOnlyDictionary<string, string>? meta = null) => Resolve(AgentName.Parse(name), meta);

    /// <summary>The native agent for <paramref name="name"/> if one is registered and not overridden, else its script agent.</summary>
    public IResourceAgent Resolve(AgentName name, IReadOnlyDictionary<string, string>? meta = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ScriptForced(name, meta) && _registry.TryGet(name, out var native))
        {
            return native;
        }

        return _scripts.GetOrAdd(name.Key, _ => name.Class switch
        {
            AgentClass.Ocf => new OcfScriptAgent(AgentName.Parse(name.Key), _options, _runner, _loggers.CreateLogger<OcfScriptAgent>()),
            AgentClass.Lsb => new LsbScriptAgent(AgentName.Parse(name.Key), _options, _runner),
            _ => new SystemdUnitAgent(AgentName.Parse(name.Key), _options, _runner),
        });
    }

    /// <summary>True when <paramref name="name"/> or <paramref name="meta"/> asks for the script agent.</summary>
    public static bool ScriptForced(AgentName name, IReadOnlyDictionary<string, string>? meta)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ScriptOnly
            || (meta is not null && meta.TryGetValue(NativeMetaAttribute, out var value)
                && value.Trim().ToLowerInvariant() is "false" or "no" or "off" or "n" or "0");
    }
}
