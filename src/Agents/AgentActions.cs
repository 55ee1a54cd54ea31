using System.Diagnostics.CodeAnalysis;

namespace ClusterD.Agents;

/// <summary>Names of <see cref="AgentAction"/> as OCF agents take them on their command line.</summary>
public static class AgentActions
{
    /// <summary>Every action, in declaration order.</summary>
    public static IReadOnlyList<AgentAction> All { get; } = Enum.GetValues<AgentAction>();

    /// <summary>The OCF spelling: <c>start</c>, <c>validate-all</c>, <c>meta-data</c>, ...</summary>
    public static string ToOcfName(this AgentAction action) => action switch
    {
        AgentAction.Start => "start",
        AgentAction.Stop => "stop",
        AgentAction.Monitor => "monitor",
        AgentAction.Promote => "promote",
        AgentAction.Demote => "demote",
        AgentAction.Notify => "notify",
        AgentAction.ValidateAll => "validate-all",
        AgentAction.MetaData => "meta-data",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not an OCF action"),
    };

    /// <summary>Parses an OCF action name (exact, lower case; <c>status</c> is accepted as <c>monitor</c>, as LSB-era tools send it).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out AgentAction? action)
    {
        action = name switch
        {
            "start" => AgentAction.Start,
            "stop" => AgentAction.Stop,
            "monitor" or "status" => AgentAction.Monitor,
            "promote" => AgentAction.Promote,
            "demote" => AgentAction.Demote,
            "notify" => AgentAction.Notify,
            "validate-all" => AgentAction.ValidateAll,
            "meta-data" => AgentAction.MetaData,
            _ => null,
        };
        return action is not null;
    }

    /// <summary>The accepted names, for error messages: <c>start, stop, monitor, ...</c>.</summary>
    public static string Names => string.Join(", ", All.Select(a => a.ToOcfName()));
}
