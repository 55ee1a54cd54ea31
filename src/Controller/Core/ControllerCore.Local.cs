using System.Globalization;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Core;

/// <summary>This node as an executor: requests from the DC, agent results, fail counts, promotion scores, leaving.</summary>
public sealed partial class ControllerCore
{
    private void OnActionRequest(string from, ActionRequest request)
    {
        // Only the DC of the view this node installed itself may make it act: never a node that merely
        // believes it is DC (a stale view, the other side of a partition, a node resuming from a pause).
        if (View is not { Quorate: true, Trusted: true } view || view.Dc != from || view.RingSeq != request.RingSeq || _shuttingDown && IsStartOrPromote(request.Op))
        {
            var why = View is not { } v ? "no view installed"
                : !v.Trusted ? "this node's view is not trusted yet (it resumed from a pause)"
                : !v.Quorate ? "this node's view has no quorum"
                : v.Dc != from ? $"{from} is not the DC of this node's view {v.RingId} (the DC is {v.Dc ?? "none"})"
                : v.RingSeq != request.RingSeq ? $"the request is for view {request.RingSeq}, this node is in view {v.RingSeq}"
                : "this node is shutting down";
            Send(from, new ActionReport(request.TransitionId, request.ActionId, null, false, $"{LocalNode} refused {request.ActionId}: {why}"));
            return;
        }

        Emit(_executor.Accept(request, from, _now));
    }

    private void OnAgentFinished(AgentFinished finished)
    {
        var (completion, next) = _executor.Finish(finished.Key, finished.Result, finished.Elapsed, _now);
        Emit(next);
        if (completion is null)
        {
            return;
        }

        var job = completion.Job;
        var attributes = _attributes[LocalNode];
        if (!completion.Succeeded && !job.Action.IsProbe && job.Action.Op != TransitionOp.Notify)
        {
            var resource = job.Call.Resource;
            var current = Score.TryParse(attributes.Get(NodeAttributeSet.FailCountPrefix + resource), out var count) ? count : Score.Zero;
            var raised = job.Request?.Fatal == true ? Score.Infinity : current + new Score(1);
            attributes = attributes
                .Set(NodeAttributeSet.FailCountPrefix + resource, raised.ToString())
                .Set(NodeAttributeSet.LastFailurePrefix + resource, _now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        if (completion.Result.PromotionScore is { } score)
        {
            attributes = attributes.Set(NodeStatus.PromotionAttribute(job.Call.Resource), score.ToString());
        }
        else if (completion.Succeeded && job.Action.Op == TransitionOp.Stop)
        {
            // A stopped instance cannot be promoted here: its score goes, as Stateful's and drbd's crm_master -D on stop.
            var promotion = NodeStatus.PromotionAttribute(job.Call.Resource);
            attributes = attributes.Remove(name => name == promotion);
        }

        var reason = completion.Succeeded ? null : Describe(completion.Result);
        Broadcast(new ActionReport(job.Request?.TransitionId ?? 0, job.Request?.ActionId ?? job.Action.Id, completion.Record, completion.Succeeded, reason));
        if (!ReferenceEquals(attributes, _attributes[LocalNode]))
        {
            _attributes[LocalNode] = attributes;
            Broadcast(new AttributesUpdate(attributes));
            _dc?.Changed("attributes of " + LocalNode);
        }
    }

    /// <summary>Clears this node's fail counts of <paramref name="resource"/> (all when null).</summary>
    private void ClearFailures(string? resource)
    {
        var cleared = _attributes[LocalNode].Remove(name =>
            (name.StartsWith(NodeAttributeSet.FailCountPrefix, StringComparison.Ordinal) && (resource is null || name == NodeAttributeSet.FailCountPrefix + resource))
            || (name.StartsWith(NodeAttributeSet.LastFailurePrefix, StringComparison.Ordinal) && (resource is null || name == NodeAttributeSet.LastFailurePrefix + resource)));
        if (!ReferenceEquals(cleared, _attributes[LocalNode]))
        {
            _attributes[LocalNode] = cleared;
            Broadcast(new AttributesUpdate(cleared));
        }
    }

    /// <summary>Pacemaker's shutdown: the <c>shutdown</c> attribute makes the DC move everything off this node.</summary>
    private void OnShutdown()
    {
        if (_shuttingDown)
        {
            return;
        }

        _shuttingDown = true;
        _attributes[LocalNode] = _attributes[LocalNode].Set(NodeAttributeSet.Shutdown, _now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Broadcast(new AttributesUpdate(_attributes[LocalNode]));
        _dc?.Changed("shutdown of " + LocalNode);
    }

    /// <summary>Once shutting down and nothing is active here, nor running, the daemon may leave.</summary>
    private void CheckLeave()
    {
        // A DC leaves only once its transition is over: the moves it started finish under it, not under a successor.
        if (!_shuttingDown || _leaveAnnounced || !_executor.Idle || _dc?.Transition is not null)
        {
            return;
        }

        var active = OwnHistory().GroupBy(r => r.Resource)
            .Where(g => OperationHistory.RoleOf(g, promotable: false) is not InstanceRole.Stopped)
            .Select(g => g.Key)
            .ToList();
        if (active.Count == 0)
        {
            _leaveAnnounced = true;
            _effects.Add(new ReadyToLeave("nothing is active on " + LocalNode));
        }
        else if (View is not { Quorate: true, Trusted: true, Dc: not null })
        {
            _leaveAnnounced = true;
            _effects.Add(new ReadyToLeave($"no DC of a quorate view can move {string.Join(", ", active)} off {LocalNode}"));
        }
    }

    private static bool IsStartOrPromote(TransitionOp op) => op is TransitionOp.Start or TransitionOp.Promote;

    private static string Describe(ResourceManager.Execution.ActionResult result) =>
        result.Status == ResourceManager.Execution.ActionExecStatus.Done
            ? $"rc {result.ExitCode}{(result.Reason is { Length: > 0 } r ? $" ({r})" : "")}"
            : $"{result.Status.ToString().ToLowerInvariant()}{(result.Reason is { Length: > 0 } why ? $": {why}" : "")}";
}
