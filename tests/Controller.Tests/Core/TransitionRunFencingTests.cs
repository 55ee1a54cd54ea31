using ClusterD.Agents;
using ClusterD.Controller.Core;
using ClusterD.Controller.Tests.Simulation;
using ClusterD.ResourceManager.Execution;

namespace ClusterD.Controller.Tests.Core;

/// <summary>Fences go first in a transition (found by the fault simulation: both sides of a two-node partition promoted).</summary>
public sealed class TransitionRunFencingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LostPeerWithNoKnownResources_NothingStartsOrPromotesBeforeItsFenceSucceeded()
    {
        // hadb02 is DC of its side of a partition; of hadb01 it knows nothing running (hadb01 may have
        // promoted itself since: its side is quorate too under two_node).
        var dc = new ControllerCore("hadb02", ["hadb01", "hadb02"], SeedShape.Config());
        var pending = dc.Handle(new ViewInput(3, "2.3", ["hadb02"], ["hadb02"], ["hadb01"], [], Quorate: true, "hadb02"), T0).ToList();
        var seen = new List<ControllerEffect>();
        var now = T0;
        while (pending.OfType<RunAgent>().FirstOrDefault() is { } run)
        {
            seen.AddRange(pending);
            pending.Remove(run);
            now = now.AddMilliseconds(5);
            pending.AddRange(dc.Handle(new AgentFinished(run.Key, Answer(run.Call), TimeSpan.FromMilliseconds(5)), now));
        }

        seen.AddRange(pending);
        Assert.Contains(seen, e => e is RunFence { Target: "hadb01" });
        Assert.DoesNotContain(seen, e => e is RunAgent { Call.Action: AgentAction.Start or AgentAction.Promote });

        var after = dc.Handle(new FenceFinished("hadb01", true, null), now.AddSeconds(1));

        Assert.Contains(after, e => e is RunAgent { Call.Action: AgentAction.Start });
    }

    [Fact]
    public void RebootWithDeferredPowerOn_PowersTheNodeOnOnlyOnceTheRecoveringTransitionCompleted()
    {
        var dc = new ControllerCore("hadb02", ["hadb01", "hadb02"], SeedShape.Config());
        var pending = dc.Handle(new ViewInput(3, "2.3", ["hadb02"], ["hadb02"], ["hadb01"], [], Quorate: true, "hadb02"), T0).ToList();
        var now = T0;
        while (pending.OfType<RunAgent>().FirstOrDefault() is { } probe)
        {
            pending.Remove(probe);
            now = now.AddMilliseconds(5);
            pending.AddRange(dc.Handle(new AgentFinished(probe.Key, Answer(probe.Call), TimeSpan.FromMilliseconds(5)), now));
        }

        Assert.Contains(pending, e => e is RunFence { Target: "hadb01" });
        var seen = new List<ControllerEffect>();
        pending = dc.Handle(new FenceFinished("hadb01", true, null, PowerOnDeferred: true), now.AddSeconds(1)).ToList();
        var recovering = 0;
        while (pending.OfType<RunAgent>().FirstOrDefault() is { } run)
        {
            // While the resources are being recovered, the victim stays off: failover never waits for it to boot.
            Assert.DoesNotContain(pending, e => e is PowerOn);
            recovering += run.Call.Action is AgentAction.Start or AgentAction.Promote ? 1 : 0;
            pending.Remove(run);
            now = now.AddMilliseconds(5);
            pending.AddRange(dc.Handle(new AgentFinished(run.Key, Answer(run.Call), TimeSpan.FromMilliseconds(5)), now));
            seen.AddRange(pending);
        }

        Assert.True(recovering > 0, "nothing was recovered");
        Assert.Single(seen.OfType<PowerOn>(), p => p.Node == "hadb01");
        Assert.DoesNotContain(dc.Handle(TickInput.Instance, now.AddSeconds(30)), e => e is PowerOn);
    }

    /// <summary>Probes find nothing; anything else succeeds.</summary>
    private static ActionResult Answer(AgentCall call) =>
        call.Action == AgentAction.Monitor && call.Interval == TimeSpan.Zero ? new ActionResult(7) : new ActionResult(0);
}
