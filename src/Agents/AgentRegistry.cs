using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ClusterD.Agents;

/// <summary>
/// The native agents of this process, by agent name. A native agent registers a factory under
/// every name it answers for (its own <c>ocf:clusterd:TYPE</c> and the script names it replaces,
/// e.g. <c>ocf:heartbeat:Dummy</c>); <c>AgentResolver</c> prefers a registered agent over
/// the script of the same name unless the script is forced.
/// </summary>
/// <remarks>
/// Each name gets one agent instance, created on first use and then kept for the life of the
/// registry, so an agent that holds something while started (the probe port's listener) keeps
/// it between actions. Registration is thread-safe; a later registration of the same name
/// replaces the earlier one if that one was never used.
/// </remarks>
/// <example>
/// <code>
/// registry.Register("ocf:clusterd:probe-port", name => new ProbePortAgent(name, time));
/// registry.Register("ocf:heartbeat:azure-lb", name => new ProbePortAgent(name, time));
/// </code>
/// </example>
public sealed class AgentRegistry
{
    private readonly ConcurrentDictionary<string, Lazy<IResourceAgent>> _agents = new(StringComparer.Ordinal);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<AgentName> Names =>
        [.. _agents.Keys.Order(StringComparer.Ordinal).Select(AgentName.Parse)];

    /// <summary>
    /// Registers <paramref name="factory"/> for <paramref name="name"/> (<c>ocf:PROVIDER:TYPE</c>,
    /// <c>clusterd:TYPE</c>, <c>lsb:NAME</c> or <c>systemd:UNIT</c>; not <c>script:</c>). The
    /// factory receives the parsed name, which the agent reports as its <see cref="IResourceAgent.Name"/>.
    /// </summary>
    public AgentRegistry Register(string name, Func<AgentName, IResourceAgent> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var parsed = AgentName.Parse(name);
        if (parsed.ScriptOnly)
        {
            throw new ArgumentException($"cannot register a native agent under the script-only name '{name}'", nameof(name));
        }

        _agents[parsed.Key] = new Lazy<IResourceAgent>(() => factory(parsed), LazyThreadSafetyMode.ExecutionAndPublication);
        return this;
    }

    /// <summary>True when a native agent is registered for <paramref name="name"/> (ignoring a <c>script:</c> prefix).</summary>
    public bool IsRegistered(AgentName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _agents.ContainsKey(name.Key);
    }

    /// <summary>The native agent for <paramref name="name"/>, created on first use (ignores a <c>script:</c> prefix; the resolver honours it).</summary>
    public bool TryGet(AgentName name, [NotNullWhen(true)] out IResourceAgent? agent)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_agents.TryGetValue(name.Key, out var lazy))
        {
            agent = lazy.Value;
            return true;
        }

        agent = null;
        return false;
    }
}
