using ClusterD.Fencing.Witness;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Controller.Core;

/// <summary>
/// What the cloud witness decided, as the controller acts on it: every decision is an event; a node whose
/// peer holds the lease (it yielded, or lost the lease while fencing) fences nothing more and starts and
/// promotes nothing until the peer is back in its view or a later fence of it succeeds (the lease was
/// free again: taken over). It keeps what it runs: the winner is powering it off, and DRBD's
/// <c>fencing resource-and-stonith</c> already holds a lone primary's writes (docs/decisions.md).
/// </summary>
public sealed partial class ControllerCore
{
    /// <summary>The peer whose side holds the witness lease, while this node has yielded to it.</summary>
    public string? YieldedTo { get; private set; }

    private void OnWitnessDecided(WitnessDecided input)
    {
        var decision = input.Decision;
        var yields = decision.Kind is WitnessDecisionKind.Yielded or WitnessDecisionKind.LeaseLost;

        // The DC asks again after every refused fence (the lease may be free by then): one event per change, not per try.
        if (!(yields && YieldedTo == decision.Target))
        {
            Publish(ControllerEventKind.WitnessDecision, decision.Message, decision.Target, action: WitnessActionName(decision.Kind));
        }

        if (yields)
        {
            YieldedTo = decision.Target;
        }
        else if (decision.Kind == WitnessDecisionKind.Acquired && YieldedTo == decision.Target)
        {
            YieldedTo = null;
        }
    }

    /// <summary>The peer is back, or fenced: this node no longer yields to it.</summary>
    private void EndYield(string node)
    {
        if (YieldedTo == node)
        {
            YieldedTo = null;
            Publish(ControllerEventKind.WitnessDecision, $"no longer yielding to {node}", node, action: "witness-yield-ended");
        }
    }

    /// <summary>While yielded, the DC starts and promotes nothing (a fence device's start, a registration with the fencer, excepted).</summary>
    private string? RefusedWhileYielded(TransitionAction action)
    {
        if (YieldedTo is not { } peer || action.Op is not (TransitionOp.Start or TransitionOp.Promote))
        {
            return null;
        }

        if (action.Op == TransitionOp.Start && Config.Primitives.Any(p => p.Id == action.Resource && p.Agent.IsStonith))
        {
            return null;
        }

        return $"refused: {peer}'s side holds the witness lease, this node starts and promotes nothing until {peer} is back or fenced";
    }

    private IEnumerable<string> WitnessWarnings()
    {
        if (YieldedTo is { } peer)
        {
            yield return $"witness: {peer}'s side holds the witness lease; this node does not fence {peer} and starts and promotes nothing until {peer} is back or the lease is free";
        }
    }

    private static string WitnessActionName(WitnessDecisionKind kind) => kind switch
    {
        WitnessDecisionKind.Acquired => "witness-acquired",
        WitnessDecisionKind.Yielded => "witness-yielded",
        WitnessDecisionKind.FellBack => "witness-fell-back",
        WitnessDecisionKind.RenewFailed => "witness-renew-failed",
        WitnessDecisionKind.LeaseLost => "witness-lease-lost",
        WitnessDecisionKind.Released => "witness-released",
        _ => "witness-release-failed",
    };
}
