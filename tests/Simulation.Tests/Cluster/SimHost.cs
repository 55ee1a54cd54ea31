using ClusterD.Agents;
using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Simulation.Tests.Cluster;

/// <summary>
/// One simulated machine: its controller (null while the daemon is down), the configuration it persisted,
/// and what really runs on it (<see cref="Resources"/>: the ground truth the invariants are checked on).
/// A machine that lost power keeps its <see cref="Resources"/> as far as the invariants go until it is
/// fenced or boots again: nobody may assume they are gone before that.
/// </summary>
internal sealed class SimHost(int index, string name)
{
    public int Index { get; } = index;

    public string Name { get; } = name;

    public ControllerCore? Controller { get; set; }

    public bool PoweredOn { get; set; }

    /// <summary>The controller's <see cref="ControllerCore.NextWake"/> after the last input it handled.</summary>
    public DateTimeOffset? NextWake { get; set; }

    public bool Frozen { get; set; }

    /// <summary>Grows whenever the daemon dies (power-off, kill): agent and fence calls it started are gone with it.</summary>
    public int Generation { get; set; }

    public ClusterConfig? Persisted { get; set; }

    /// <summary>Inputs that arrived while the daemon was frozen, in order.</summary>
    public List<ControllerInput> Inbox { get; } = [];

    /// <summary>What runs here, by primitive.</summary>
    public Dictionary<string, InstanceRole> Resources { get; } = new(StringComparer.Ordinal);

    public TimeSpan AgentFaultsUntil { get; set; }

    public bool Running => Controller is not null && !Frozen;

    /// <summary>Applies a call that succeeded to <see cref="Resources"/> and answers as the agent would.</summary>
    public ActionResult Execute(AgentCall call)
    {
        var promotable = call.Meta.GetValueOrDefault("promotable") == "true";
        var role = Resources.GetValueOrDefault(call.Resource, InstanceRole.Stopped);
        Score? score = promotable ? new Score(Index == 0 ? 10 : 5) : null;
        switch (call.Action)
        {
            case AgentAction.Start:
                if (role == InstanceRole.Stopped)
                {
                    Resources[call.Resource] = promotable ? InstanceRole.Unpromoted : InstanceRole.Started;
                }

                return new ActionResult(0, PromotionScore: score);
            case AgentAction.Stop:
                Resources.Remove(call.Resource);
                return new ActionResult(0);
            case AgentAction.Promote:
                Resources[call.Resource] = InstanceRole.Promoted;
                return new ActionResult(0, PromotionScore: score);
            case AgentAction.Demote:
                Resources[call.Resource] = InstanceRole.Unpromoted;
                return new ActionResult(0, PromotionScore: score);
            case AgentAction.Notify:
                return new ActionResult(0);
            default:
                return role switch
                {
                    InstanceRole.Stopped => new ActionResult(7),
                    InstanceRole.Promoted => new ActionResult(8, PromotionScore: score),
                    _ => new ActionResult(0, PromotionScore: score),
                };
        }
    }
}
