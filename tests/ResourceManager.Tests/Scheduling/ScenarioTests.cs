using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Tests.Scheduling;

/// <summary>
/// Every folder under Scheduling/Scenarios: the exact actions and placement, every ordering the
/// expectation lists (directly or through other actions), and that both the expected listing and
/// <see cref="TransitionGraph.Ordered"/> are valid execution orders of the scheduled graph.
/// Set CLUSTERD_UPDATE_SCENARIOS=1 to write a missing expected.json (review it before committing).
/// </summary>
public sealed class ScenarioTests
{
    public static TheoryData<string> Names => [.. Scenario.Names];

    [Fact]
    public void Scenarios_AtLeastForty() => Assert.True(Scenario.Names.Count() >= 40, $"only {Scenario.Names.Count()} scenarios");

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_ScheduleMatchesExpected(string name)
    {
        var scenario = Scenario.Load(name);
        var graph = scenario.Schedule();
        var actual = ScenarioJson.From(graph);
        if (!File.Exists(scenario.ExpectedPath) && Environment.GetEnvironmentVariable("CLUSTERD_UPDATE_SCENARIOS") == "1")
        {
            File.WriteAllText(scenario.ExpectedPath, actual.Write());
        }

        var expected = ScenarioJson.Read(scenario.ExpectedPath);
        var dump = "\nactual:\n" + actual.Write() + "\nwarnings:\n" + string.Join("\n", graph.Warnings);

        Assert.True(
            expected.Placement.OrderBy(p => p.Resource, StringComparer.Ordinal).ThenBy(p => p.Node, StringComparer.Ordinal).SequenceEqual(actual.Placement),
            "placement differs" + dump);
        // Notifications are compared where the expectation lists them (the notify-* folders, whose
        // pacemaker-notify.txt holds what crm_simulate schedules); elsewhere they are left out.
        var withNotify = expected.Actions.Any(a => a.Op == "notify");
        var expectedActions = expected.Actions.Select(a => (a.Id, a.Op, a.Resource, a.Node)).Order().ToList();
        var actualActions = actual.Actions.Where(a => withNotify || a.Op != "notify").Select(a => (a.Id, a.Op, a.Resource, a.Node)).Order().ToList();
        Assert.True(expectedActions.SequenceEqual(actualActions), "actions differ" + dump);

        foreach (var action in expected.Actions)
        {
            foreach (var before in action.After)
            {
                Assert.True(graph.Precedes(before, action.Id), $"{action.Id} must wait for {before}" + dump);
            }
        }

        if (!withNotify)
        {
            AssertNotificationsFollow(graph, expected.Actions.Select(a => a.Id).ToList(), "the expected listing" + dump);
        }
        else
        {
            AssertValidOrder(graph, expected.Actions.Select(a => a.Id).ToList(), "the expected listing" + dump);
        }

        if (scenario.PacemakerNotifications is { } pacemaker)
        {
            Assert.Equal(pacemaker, NotifyLines(graph, ConfigIndex.Of(scenario.Config)));
        }

        AssertValidOrder(graph, graph.Ordered().Select(a => a.Id).ToList(), "Ordered()" + dump);
        foreach (var warning in scenario.ExpectedWarnings)
        {
            Assert.True(graph.Warnings.Any(w => w.Contains(warning, StringComparison.Ordinal)), $"no warning contains '{warning}'" + dump);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_ScheduleIsDeterministic(string name)
    {
        var scenario = Scenario.Load(name);
        Assert.Equal(ScenarioJson.From(scenario.Schedule()).Write(), ScenarioJson.From(scenario.Schedule()).Write());
    }

    /// <summary>The expected listing without notifications stays a valid order of the graph's other actions.</summary>
    private static void AssertNotificationsFollow(TransitionGraph graph, List<string> order, string what)
    {
        var position = order.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        foreach (var id in order)
        {
            foreach (var before in order.Where(b => graph.Precedes(b, id)))
            {
                Assert.True(position[before] < position[id], $"{what}: {id} is listed before {before}, which it waits for");
            }
        }
    }

    /// <summary>
    /// The graph's notifications as pacemaker-notify.txt writes Pacemaker's: node lists as sets (instances have no
    /// numbers here), the member of a cloned group named, the available nodes only where they are not all nodes.
    /// </summary>
    private static List<string> NotifyLines(TransitionGraph graph, ConfigIndex index) =>
        [.. graph.Actions.Where(a => a.Op == TransitionOp.Notify).Select(a =>
        {
            var n = a.Notification!;
            string Nodes(IEnumerable<string> nodes) => "[" + string.Join(' ', nodes.Order(StringComparer.Ordinal)) + "]";
            string List(IEnumerable<ClusterD.Agents.NotifyInstance> items) => Nodes(items.Select(i => i.Node));
            var member = index.ParentOf(a.Resource) is ResourceGroup ? $" member={a.Resource}" : "";
            var available = Nodes(n.AvailableNodes) == Nodes(n.AllNodes) ? "" : $" available={Nodes(n.AvailableNodes)}";
            return $"{a.NotifyPhase} {a.Node}{member} active={List(n.Active)} start={List(n.Start)} stop={List(n.Stop)} promote={List(n.Promote)} demote={List(n.Demote)} "
                + $"promoted={List(n.Promoted)} unpromoted={List(n.Unpromoted)} inactive={n.Inactive.Length} all={Nodes(n.AllNodes)}{available}"
                + (n.AfterFencing ? " key=stonith" : "");
        }).Order(StringComparer.Ordinal)];

    private static void AssertValidOrder(TransitionGraph graph, List<string> order, string what)
    {
        var position = order.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        foreach (var id in order)
        {
            foreach (var before in graph.After(id))
            {
                Assert.True(position[before] < position[id], $"{what}: {id} is listed before {before}, which it waits for");
            }
        }
    }
}
