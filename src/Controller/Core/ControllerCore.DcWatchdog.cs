namespace ClusterD.Controller.Core;

/// <summary>The DC's fences by watchdog (<c>stonith-watchdog-timeout</c>, docs/fencing.md).</summary>
public sealed partial class ControllerCore
{
    private sealed partial class DcState
    {
        /// <summary>Nodes fenced by their own watchdog: when each counts as reset.</summary>
        private readonly Dictionary<string, DateTimeOffset> _watchdogFences = new(StringComparer.Ordinal);

        /// <summary>When the next node fenced by its watchdog counts as reset.</summary>
        private DateTimeOffset? NextWatchdogFence => _watchdogFences.Count == 0 ? null : _watchdogFences.Values.Min();

        /// <summary>
        /// No device can fence <paramref name="node"/>, but its watchdog resets it once it has been cut off with
        /// resources: it counts as fenced when <c>stonith-watchdog-timeout</c> has passed since this request (the
        /// node stopped feeding no later than it lost us, which was before we lost it), or not at all when that is unsafe.
        /// </summary>
        private void StartWatchdogFence(ControllerCore core, string node)
        {
            if (_watchdogFences.ContainsKey(node))
            {
                return;
            }

            var wait = WatchdogFencing.Resolve(core.Config, core._options.Watchdog?.Timeout, core._options.TwoNodeQuorum);
            if (wait.Wait is not { } w)
            {
                OnFenceFinished(core, new FenceFinished(node, false, wait.Refusal));
                return;
            }

            var due = core._now + w;
            _watchdogFences[node] = due;
            core.Publish(ControllerEventKind.Watchdog, $"waiting stonith-watchdog-timeout ({w.TotalSeconds:0.###} s) for {node} to be reset by its watchdog: fenced at {due:O}", node);
        }

        /// <summary>Every node whose wait is over (at or after its instant, never a tick before) is fenced.</summary>
        private void CompleteWatchdogFences(ControllerCore core)
        {
            foreach (var (node, due) in _watchdogFences.Where(f => f.Value <= core._now).ToList())
            {
                _watchdogFences.Remove(node);
                core.Publish(ControllerEventKind.Watchdog, $"{node} is taken as reset by its watchdog (stonith-watchdog-timeout passed at {due:O})", node);
                OnFenceFinished(core, new FenceFinished(node, true, null));
            }
        }
    }
}
