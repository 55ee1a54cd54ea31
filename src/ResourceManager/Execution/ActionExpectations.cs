using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Execution;

/// <summary>What a transition expects of each action: how long it may take and which result counts as success.</summary>
public static class ActionExpectations
{
    /// <summary>Pacemaker's <c>fencing-timeout</c> (<c>stonith-timeout</c>) default.</summary>
    public static readonly Duration DefaultFencingTimeout = Duration.FromSeconds(60);

    /// <summary>
    /// The action's timeout: the op's own <c>timeout</c> (matched by name and interval), else
    /// <c>op_defaults timeout</c>, else 20 s; for fencing, <c>fencing-timeout</c> or <c>stonith-timeout</c>, else 60 s.
    /// </summary>
    public static TimeSpan Timeout(TransitionAction action, ClusterConfig config) => Timeout(action, config, null);

    /// <summary>As <see cref="Timeout(TransitionAction, ClusterConfig)"/>, looking the primitive up in <paramref name="index"/> (of <paramref name="config"/>) when given.</summary>
    internal static TimeSpan Timeout(TransitionAction action, ClusterConfig config, ConfigIndex? index)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(config);
        if (action.Op == TransitionOp.Fence)
        {
            var other = config.Properties.Other;
            return (Parsed(other.Get("fencing-timeout")) ?? Parsed(other.Get("stonith-timeout")) ?? DefaultFencingTimeout).ToTimeSpan();
        }

        var primitive = index is null ? config.Primitives.FirstOrDefault(p => p.Id == action.Resource) : index.FindResource(action.Resource) as Primitive;
        var configured = primitive?.FindOperation(action.OpName, action.Interval)?.Timeout;
        return (configured ?? Parsed(config.OperationDefaults.Get("timeout")) ?? Operation.DefaultTimeout).ToTimeSpan();
    }

    /// <summary>
    /// True when <paramref name="result"/> is what the transition asked for: 0 for start, promote, demote
    /// and fence; 0 or 7 (already stopped) for stop; 8 for a monitor of the promoted role, else 0; for a
    /// probe any answer about the state (0 running, 7 not running, 8 promoted).
    /// </summary>
    public static bool Succeeded(TransitionAction action, ActionResult result)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (result.Status != ActionExecStatus.Done)
        {
            return false;
        }

        return action.Op switch
        {
            TransitionOp.Stop => result.ExitCode is 0 or 7,
            TransitionOp.Monitor when action.IsProbe => result.ExitCode is 0 or 7 or 8,
            TransitionOp.Monitor => result.ExitCode == (action.Role == ResourceRole.Promoted ? 8 : 0),
            _ => result.ExitCode == 0,
        };
    }

    private static Duration? Parsed(string? text) => Duration.TryParse(text, out var value) && value > Duration.Zero ? value : null;
}
