using ClusterD.Agents;
using ClusterD.Controller.Core;
using ClusterD.Controller.Tests.Simulation;
using ClusterD.Fencing.Witness;
using ClusterD.ResourceManager.Execution;

namespace ClusterD.Controller.Tests.Core;

/// <summary>
/// The controller acting on the cloud witness's decisions: every decision is an event; a node that yielded
/// starts and promotes nothing, asks again (a takeover once the lease is free) and stops yielding when the peer
/// is back or fenced.
/// </summary>
public sealed class ControllerCoreWitnessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<ControllerEffect> _seen = [];
    private ControllerCore _dc = null!;
    private DateTimeOffset _now = T0;

    /// <summary>hadb02 lost hadb01 and, as DC of its side, probes and asks for hadb01's fence.</summary>
    private void Partition()
    {
        _dc = new ControllerCore("hadb02", ["hadb01", "hadb02"], SeedShape.Config());
        Run(_dc.Handle(new ViewInput(3, "2.3", ["hadb02"], ["hadb02"], ["hadb01"], [], Quorate: true, "hadb02"), _now));
        Assert.Contains(_seen, e => e is RunFence { Target: "hadb01" });
    }

    private void Handle(ControllerInput input, TimeSpan after)
    {
        _now += after;
        Run(_dc.Handle(input, _now));
    }

    /// <summary>Performs the effects, answering agent calls at once (probes: nothing runs; the rest succeeds).</summary>
    private void Run(IReadOnlyList<ControllerEffect> effects)
    {
        var pending = effects.ToList();
        while (pending.OfType<RunAgent>().FirstOrDefault() is { } run)
        {
            _seen.AddRange(pending);
            pending.Remove(run);
            _now = _now.AddMilliseconds(5);
            var result = run.Call.Action == AgentAction.Monitor && run.Call.Interval == TimeSpan.Zero ? new ActionResult(7) : new ActionResult(0);
            pending = [.. pending, .. _dc.Handle(new AgentFinished(run.Key, result, TimeSpan.FromMilliseconds(5)), _now)];
        }

        _seen.AddRange(pending);
    }

    private WitnessDecided Decision(WitnessDecisionKind kind) => new(new WitnessDecision(_now, "hadb01", kind, $"{kind} (test)"));

    private IEnumerable<ControllerEvent> WitnessEvents => _seen.OfType<PublishEvent>().Select(p => p.Event).Where(e => e.Kind == ControllerEventKind.WitnessDecision);

    [Fact]
    public void Yielded_IsAnEventAndAWarning_AndNothingStartsOrPromotes()
    {
        Partition();

        Handle(Decision(WitnessDecisionKind.Yielded), TimeSpan.FromMilliseconds(250));
        Handle(new FenceFinished("hadb01", false, "not fenced: the other side holds the witness lease"), TimeSpan.Zero);
        Handle(TickInput.Instance, TimeSpan.FromSeconds(2));

        var yielded = Assert.Single(WitnessEvents);
        Assert.Equal(("hadb01", "witness-yielded", "Yielded (test)"), (yielded.Node, yielded.Action, yielded.Message));
        Assert.Equal("hadb01", _dc.YieldedTo);
        Assert.Contains(_dc.Warnings, w => w.StartsWith("witness: hadb01's side holds the witness lease", StringComparison.Ordinal));
        Assert.DoesNotContain(_seen, e => e is RunAgent { Call.Action: AgentAction.Start or AgentAction.Promote });
        Assert.Equal(2, _seen.Count(e => e is RunFence { Target: "hadb01" })); // asked again: the lease may be free by then
    }

    [Fact]
    public void Yielded_AskedAgainAndRefusedAgain_IsOneEvent()
    {
        Partition();
        Handle(Decision(WitnessDecisionKind.Yielded), TimeSpan.FromMilliseconds(250));
        Handle(new FenceFinished("hadb01", false, "not fenced"), TimeSpan.Zero);
        Handle(TickInput.Instance, TimeSpan.FromSeconds(2));

        Handle(Decision(WitnessDecisionKind.Yielded), TimeSpan.FromMilliseconds(250));
        Handle(new FenceFinished("hadb01", false, "not fenced"), TimeSpan.Zero);

        Assert.Single(WitnessEvents);
    }

    [Fact]
    public void Yielded_ThenTheLeaseIsFreeAndTheFenceSucceeds_RecoversAsUsual()
    {
        Partition();
        Handle(Decision(WitnessDecisionKind.Yielded), TimeSpan.FromMilliseconds(250));
        Handle(new FenceFinished("hadb01", false, "not fenced"), TimeSpan.Zero);
        Handle(TickInput.Instance, TimeSpan.FromSeconds(2));

        Handle(Decision(WitnessDecisionKind.Acquired), TimeSpan.FromSeconds(15));
        Handle(new FenceFinished("hadb01", true, null), TimeSpan.FromSeconds(1));

        Assert.Null(_dc.YieldedTo);
        Assert.DoesNotContain(_dc.Warnings, w => w.StartsWith("witness:", StringComparison.Ordinal));
        Assert.Contains(_seen, e => e is RunAgent { Call.Action: AgentAction.Start });
        Assert.Equal(["witness-yielded", "witness-acquired"], WitnessEvents.Select(e => e.Action));
    }

    [Fact]
    public void Yielded_PeerBackInTheView_EndsTheYield()
    {
        Partition();
        Handle(Decision(WitnessDecisionKind.Yielded), TimeSpan.FromMilliseconds(250));

        Handle(new ViewInput(4, "1.4", ["hadb01", "hadb02"], ["hadb01"], [], [], Quorate: true, "hadb01"), TimeSpan.FromSeconds(1));

        Assert.Null(_dc.YieldedTo);
        Assert.Equal("witness-yield-ended", WitnessEvents.Last().Action);
    }

    [Fact]
    public void LeaseLostWhileFencing_YieldsToo()
    {
        Partition();

        Handle(Decision(WitnessDecisionKind.Acquired), TimeSpan.Zero);
        Handle(Decision(WitnessDecisionKind.LeaseLost), TimeSpan.FromSeconds(5));

        Assert.Equal("hadb01", _dc.YieldedTo);
        Assert.Equal(["witness-acquired", "witness-lease-lost"], WitnessEvents.Select(e => e.Action));
    }
}
