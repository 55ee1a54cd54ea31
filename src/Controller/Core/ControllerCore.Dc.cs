using System.Collections.Immutable;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.Controller.Core;

/// <summary>This node as the DC: join, schedule, execute across the nodes, fence.</summary>
public sealed partial class ControllerCore
{
    private DcState? _dc;

    /// <summary>
    /// Everything only the DC holds; dropped whole the moment this node stops being DC, so a new term
    /// always starts from a fresh join (the members' histories), never from what the last term remembered.
    /// </summary>
    private sealed partial class DcState
    {
        private readonly HashSet<string> _pendingJoin = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _fencing = new(StringComparer.Ordinal);

        /// <summary>Nodes fenced by a reboot whose power-on waits until a transition completes (the cluster has recovered).</summary>
        private readonly SortedSet<string> _powerOnAfterRecovery = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTimeOffset> _dispatched = new(StringComparer.Ordinal);
        private readonly ulong _termBase;
        private ulong _joinId;
        private ulong _transitions;
        private readonly Dictionary<string, DateTimeOffset> _deadlines = new(StringComparer.Ordinal);

        private DateTimeOffset _joinDeadline;
        private DateTimeOffset _joinResend;
        private DateTimeOffset _holdUntil;
        private DateTimeOffset _nextRecheck;
        private DateTimeOffset _expiriesSeen;
        private TransitionRun? _transition;
        private bool _dirty = true;
        private string _why = "became DC";
        private Trigger? _trigger;
        private Failover? _failover;

        public DcState(ControllerCore core, ViewInput view)
        {
            // Transition ids are unique across terms: the view's ring sequence in the high bits.
            _termBase = view.RingSeq << 24;
            _nextRecheck = core._now + RecheckInterval(core.Config, core._options);
            _trigger = new Trigger(core._now, view.Lost.IsEmpty ? $"{core.LocalNode} elected DC" : $"lost {string.Join(", ", view.Lost)}; {core.LocalNode} elected DC", view.Detection);
            core.Publish(ControllerEventKind.Warning, $"{core.LocalNode} is the DC of view {view.RingId}: collecting the members' histories");
        }

        public HashSet<string> Joined { get; } = new(StringComparer.Ordinal);

        public TransitionRun? Transition => _transition;

        /// <summary>The warnings of the latest scheduling run.</summary>
        public ImmutableArray<string> LastWarnings { get; private set; } = [];

        public bool IsFencing(string node) => _fencing.ContainsKey(node);

        public void Changed(string why)
        {
            _dirty = true;
            _why = why;
            if (_transition is { Done: false } run && why.StartsWith("configuration", StringComparison.Ordinal))
            {
                run.Abort(why);
            }
        }

        public DateTimeOffset? NextWake(ClusterConfig config, ControllerOptions options, ControllerCore core)
        {
            var wake = _nextRecheck;
            if (_pendingJoin.Count > 0)
            {
                wake = Earliest(wake, Earliest(_joinDeadline, _joinResend));
            }

            if (_deadlines.Count > 0)
            {
                wake = Earliest(wake, _deadlines.Values.Min());
            }

            if (NextWatchdogFence is { } reset)
            {
                wake = Earliest(wake, reset);
            }

            if (_holdUntil > core._now && _holdUntil < wake)
            {
                wake = _holdUntil;
            }

            if (NextFailureExpiry(core, _expiriesSeen) is { } expiry && expiry < wake)
            {
                wake = expiry;
            }

            return wake;
        }

        public void StartJoin(ControllerCore core, IEnumerable<string> members)
        {
            _joinId++;
            _joinDeadline = core._now + core._options.JoinTimeout;
            _joinResend = core._now + core._options.JoinRetry;
            foreach (var member in members)
            {
                _pendingJoin.Add(member);
                Joined.Remove(member);
                core.Send(member, new JoinRequest(_joinId, core.View!.RingSeq));
            }
        }

        public void OnJoinReply(ControllerCore core, string from, JoinReply reply)
        {
            if (reply.JoinId == _joinId && _pendingJoin.Remove(from))
            {
                Joined.Add(from);
                Changed("join of " + from);
            }
            else if (reply.JoinId == 0 && Joined.Contains(from))
            {
                // A member replaced its history unasked (a cleanup made it forget its operations and stop its
                // monitors): plan again, so what it forgot is probed again and its monitors come back.
                Changed("history of " + from);
            }
        }

        /// <summary>
        /// A new session with <paramref name="peer"/>: a join it has not answered is asked again now; a member
        /// already joined may have lost action requests or reports with the old session, so what it ran for this
        /// transition failed (the transition stops) and its history is collected again before the next plan.
        /// </summary>
        public void OnSessionOpened(ControllerCore core, string peer)
        {
            if (_pendingJoin.Contains(peer))
            {
                core.Send(peer, new JoinRequest(_joinId, core.View!.RingSeq));
                return;
            }

            if (!Joined.Contains(peer))
            {
                return;
            }

            FailInFlight(core, node => node == peer, action => $"the session with {peer} was reset while {action.Id} ran: its result may be lost");
            StartJoin(core, [peer]);
        }

        public void OnViewChange(ControllerCore core, ViewInput view)
        {
            _trigger = new Trigger(core._now, $"view {view.RingId}" + (view.Lost.IsEmpty ? "" : $": lost {string.Join(", ", view.Lost)}"), view.Detection);
            foreach (var gone in Joined.Concat(_pendingJoin).Where(n => !view.Members.Contains(n)).ToList())
            {
                Joined.Remove(gone);
                _pendingJoin.Remove(gone);
            }

            // An action on a node that is gone will never report: it failed, and the transition stops.
            FailInFlight(core, node => !view.Members.Contains(node), action => $"{action.Node} was lost while {action.Id} ran");
            _transition?.Abort($"membership changed (view {view.RingId})");

            var joined = view.Members.Where(m => view.Joined.Contains(m) || (!Joined.Contains(m) && !_pendingJoin.Contains(m))).ToList();
            if (joined.Count > 0)
            {
                StartJoin(core, joined);
            }

            Changed("membership");
        }

        public void OnReport(ControllerCore core, string from, ActionReport report)
        {
            if (_transition is { } run && report.TransitionId == run.Id && run.Graph.Find(report.ActionId) is { } action && action.Node == from)
            {
                Finish(core, action, report.Succeeded, report.Reason ?? $"{report.ActionId} failed");
                return;
            }

            if (report.TransitionId == 0)
            {
                // A recurring monitor changed its mind: Pacemaker aborts the transition and plans again.
                _transition?.Abort($"{report.ActionId} on {from} reported rc {report.Record?.RcCode}");
                _trigger ??= new Trigger(core._now, $"{report.ActionId} on {from} failed");
                Changed("monitor result");
            }
        }

        public void OnFenceFinished(ControllerCore core, FenceFinished fence)
        {
            if (!_fencing.Remove(fence.Target, out var actionId) || _transition?.Graph.Find(actionId) is not { } action)
            {
                return;
            }

            if (fence.Succeeded)
            {
                core.Forget(fence.Target);
                core.Broadcast(new NodeFenced(fence.Target));
                if (fence.PowerOnDeferred)
                {
                    _powerOnAfterRecovery.Add(fence.Target);
                }
            }
            else
            {
                _holdUntil = core._now + core._options.FenceRetryDelay;
            }

            Finish(core, action, fence.Succeeded, fence.Reason ?? $"fencing {fence.Target} failed");
        }

        /// <summary>Plans when something changed and nothing is under way; called after every input.</summary>
        public void Advance(ControllerCore core)
        {
            if (_transition is { Done: true } done)
            {
                Ended(core, done);
            }

            if (_pendingJoin.Count > 0 && core._now >= _joinResend && core._now < _joinDeadline)
            {
                // A request sent before the member's session was up, or lost with a session, is asked again.
                _joinResend = core._now + core._options.JoinRetry;
                foreach (var member in _pendingJoin)
                {
                    core.Send(member, new JoinRequest(_joinId, core.View!.RingSeq));
                }
            }

            CompleteWatchdogFences(core);

            // An action whose result never came (the request or its report lost with a session) failed.
            foreach (var (id, deadline) in _deadlines.Where(d => d.Value <= core._now).ToList())
            {
                _deadlines.Remove(id);
                if (_transition?.Graph.Find(id) is { } lost)
                {
                    Finish(core, lost, false, $"no result from {lost.Node} by its deadline");
                }
            }

            if (_pendingJoin.Count > 0 && core._now >= _joinDeadline)
            {
                // A member whose history never came is not known to run nothing: planning as if it were offline
                // would start (promote) elsewhere what it may still hold. It is unclean: fenced before anything
                // of its is recovered (as Pacemaker's node-pending-timeout does).
                core.Publish(ControllerEventKind.Warning, $"no history from {string.Join(", ", _pendingJoin.Order())} within {core._options.JoinTimeout.TotalSeconds:0.#} s: unclean, fenced before anything of theirs is recovered");
                core._unclean.UnionWith(_pendingJoin);
                _pendingJoin.Clear();
            }

            if (core._now >= _nextRecheck)
            {
                _nextRecheck = core._now + RecheckInterval(core.Config, core._options);
                Changed("cluster-recheck-interval");
            }

            if (NextFailureExpiry(core, _expiriesSeen) is { } expiry && expiry <= core._now)
            {
                _expiriesSeen = expiry;
                Changed("failure-timeout");
            }

            if (!_dirty || _transition is not null || _pendingJoin.Count > 0 || core._now < _holdUntil || Pending(core))
            {
                return;
            }

            _dirty = false;
            var status = core.Status();
            var probes = Probes.Plan(core.Config, status);
            var graph = probes.IsEmpty ? Scheduler.Schedule(core.Config, status, core._now) : probes;
            if (probes.IsEmpty)
            {
                // Each warning is published when it appears, not at every run.
                foreach (var warning in graph.Warnings.Except(LastWarnings))
                {
                    core.Publish(ControllerEventKind.Warning, warning);
                }

                LastWarnings = graph.Warnings;

                core._effects.Add(new JournalDecision(core.Config, status, core._now, graph));
            }

            if (graph.IsEmpty)
            {
                // Settled: an active instance without its recurring monitor gets it now.
                graph = MissingMonitors.Plan(core.Config, status);
            }

            if (graph.IsEmpty)
            {
                _trigger = null;
                core.SettleSwitchovers(status);
                return;
            }

            var run = new TransitionRun(_termBase + ++_transitions, graph, core._now);
            _transition = run;
            var detected = _failover is null ? Failover.Detect(status, graph, _trigger, core._now) : null;
            _failover ??= detected;
            core.Publish(ControllerEventKind.TransitionStarted, $"transition {run.Id}: {graph.Actions.Length} actions ({_why})", transition: run.Id);
            if (detected is { } failover)
            {
                core.Publish(ControllerEventKind.FailoverStarted, failover.Describe(), resource: failover.Resource, node: failover.To, transition: run.Id);
            }

            Dispatch(core, run.Start());
        }

        private void Ended(ControllerCore core, TransitionRun run)
        {
            _transition = null;
            _deadlines.Clear();
            _dirty = true;
            var elapsed = core._now - run.StartedAt;
            if (run.Completed)
            {
                core.Publish(ControllerEventKind.TransitionCompleted, $"transition {run.Id} completed in {elapsed.TotalMilliseconds:0} ms", transition: run.Id, succeeded: true, duration: elapsed);
                if (_failover is { } failover)
                {
                    core.Publish(ControllerEventKind.FailoverCompleted, $"{failover.Resource} promoted on {failover.To}", resource: failover.Resource, node: failover.To,
                        transition: run.Id, succeeded: true, duration: core._now - failover.Since, phases: failover.Phases(core._now));
                }

                // The transition that fenced a node also recovered its resources: only now may it boot (stonith-action=reboot).
                foreach (var node in _powerOnAfterRecovery)
                {
                    core.Publish(ControllerEventKind.FenceFinished, $"{node} is powered on again: the cluster has recovered (stonith-action=reboot)", node, action: "on");
                    core.Emit([new PowerOn(node, core.Config)]);
                }

                _powerOnAfterRecovery.Clear();
            }
            else
            {
                core.Publish(ControllerEventKind.TransitionAborted, $"transition {run.Id} stopped: {run.AbortReason}", transition: run.Id, succeeded: false, duration: elapsed);
                if (run.AbortReason?.Contains("refused", StringComparison.Ordinal) == true)
                {
                    _holdUntil = core._now + core._options.RefusalRetryDelay;
                }
            }

            if (run.Completed || _failover is null)
            {
                _failover = null;
            }
        }

        private void Dispatch(ControllerCore core, ImmutableArray<TransitionAction> actions)
        {
            foreach (var action in actions)
            {
                _dispatched[action.Id] = core._now;
                core.Publish(ControllerEventKind.ActionRequested, $"{action.Id} requested", action.Node, action.Resource, action.Id, _transition!.Id);
                if (action.Op == TransitionOp.Fence)
                {
                    _fencing[action.Node] = action.Id;
                    _failover?.FenceStarted(core._now);
                    core.Publish(ControllerEventKind.FenceRequested, $"fencing {action.Node}", action.Node, action.Resource, action.Id, _transition.Id);
                    if (action.Resource == WatchdogFencing.DeviceName)
                    {
                        StartWatchdogFence(core, action.Node);
                    }
                    else
                    {
                        core._effects.Add(new RunFence(action.Node, action.Resource, $"{action.Node} is unclean", core.Config, core.Status()));
                    }

                    continue;
                }

                if (core.RefusedWhileYielded(action) is { } refused)
                {
                    Finish(core, action, false, refused);
                    continue;
                }

                if (core.View?.Members.Contains(action.Node) != true)
                {
                    Finish(core, action, false, $"{action.Node} is not a member");
                    continue;
                }

                if (AgentCall.For(core.Config, action, out var error) is not { } call)
                {
                    Finish(core, action, false, error ?? "no agent call");
                    continue;
                }

                var fatal = action.Op == TransitionOp.Start
                    && !string.Equals(core.Config.Properties.Other.Get("start-failure-is-fatal"), "false", StringComparison.OrdinalIgnoreCase);
                _deadlines[action.Id] = core._now + call.Timeout + core._options.ActionGrace;
                core.Send(action.Node, new ActionRequest(_transition.Id, action.Id, call, action.Op, action.Role, fatal, core.View!.RingSeq));
            }
        }

        /// <summary>The agent actions in flight on the nodes <paramref name="on"/> picks will not report (or their report may be lost): they failed.</summary>
        private void FailInFlight(ControllerCore core, Func<string, bool> on, Func<TransitionAction, string> reason)
        {
            if (_transition is not { } run)
            {
                return;
            }

            foreach (var id in run.InFlight.ToList())
            {
                var action = run.Graph.Find(id)!;
                if (action.Op != TransitionOp.Fence && on(action.Node))
                {
                    Finish(core, action, false, reason(action));
                }
            }
        }

        private void Finish(ControllerCore core, TransitionAction action, bool succeeded, string reason)
        {
            var run = _transition!;
            if (!run.IsInFlight(action.Id))
            {
                return;
            }

            var took = core._now - _dispatched.GetValueOrDefault(action.Id, core._now);
            _dispatched.Remove(action.Id);
            _deadlines.Remove(action.Id);
            _failover?.ActionFinished(action, took);
            core.Publish(action.Op == TransitionOp.Fence ? ControllerEventKind.FenceFinished : ControllerEventKind.ActionFinished,
                succeeded ? $"{action.Id} done" : $"{action.Id} failed: {reason}",
                action.Node, action.Resource, action.Id, run.Id, succeeded, took);
            Dispatch(core, run.Complete(action.Id, succeeded, succeeded ? null : $"{action.Id} failed: {reason}"));
        }

        /// <summary>True while a member still runs an action it was asked for (by this DC or the last): its result is awaited before planning.</summary>
        private bool Pending(ControllerCore core) =>
            core.Histories().Where(h => Joined.Contains(h.Key)).Any(h => h.Value.Any(r => r.OpStatus == -1));
    }

    private void OnFenceFinished(FenceFinished fence)
    {
        if (_dc is { } dc)
        {
            dc.OnFenceFinished(this, fence);
        }
    }
}
