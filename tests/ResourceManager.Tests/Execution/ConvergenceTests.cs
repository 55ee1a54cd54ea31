using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using Microsoft.Extensions.Time.Testing;

namespace ClusterD.ResourceManager.Tests.Execution;

/// <summary>
/// The controller's loop, offline: schedule, execute, record, until the scheduler has nothing left to
/// do, against the seed's stack on a simulated two-node cluster. The safety rules are checked at every
/// action, not only at the end.
/// </summary>
public sealed class ConvergenceTests
{
    private const int MaxTransitions = 8;

    private static readonly ClusterConfig Seed = TransitionExecutorTests.Parse("""
        node hadb01
        node hadb02
        primitive drbd ocf:linbit:drbd params drbd_resource=r0 \
            op monitor interval=29s role=Promoted op monitor interval=31s role=Unpromoted
        ms ms_drbd drbd meta promoted-max=1 promoted-node-max=1 clone-max=2 clone-node-max=1
        primitive fs ocf:heartbeat:Filesystem params device=/dev/drbd0 directory=/var/lib/mysql fstype=ext3 \
            op monitor interval=20s
        primitive mysqld ocf:heartbeat:mysql op monitor interval=10s
        group mysql fs mysqld
        colocation mysql_on_drbd inf: mysql ms_drbd:Promoted
        order mysql_after_drbd Mandatory: ms_drbd:promote mysql:start
        primitive fence_azure stonith:fence_azure_arm
        property stonith-enabled=true
        property no-quorum-policy=ignore
        """);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ColdStart_ConvergesToDrbdPrimaryWithTheGroupOnTheSameNode_AndNothingMoreToDo()
    {
        var world = new SimulatedCluster();
        var (status, transitions) = await ConvergeAsync(world, ClusterStatus.AllOnline(["hadb01", "hadb02"]));

        Assert.Empty(world.Violations);
        Assert.InRange(transitions, 2, MaxTransitions);
        var primary = AssertSteadyState(world, status, ["hadb01", "hadb02"]);
        Assert.Equal(InstanceRole.Unpromoted, status.RoleOf("drbd", Other(primary)));
        Assert.Equal(ResourceRole.Unpromoted, world.RoleOf("drbd", Other(primary)));
    }

    [Fact]
    public async Task ColdStartWithLeftovers_ProbesFindThemFirst_AndNothingIsStartedTwice()
    {
        // After a restart of both nodes' daemons: hadb02 is still DRBD Primary with the filesystem
        // mounted and mysqld running (the status knows nothing of it).
        var world = new SimulatedCluster();
        world.Preload("drbd", "hadb02", ResourceRole.Promoted);
        world.Preload("drbd", "hadb01", ResourceRole.Unpromoted);
        world.Preload("fs", "hadb02", ResourceRole.Started);
        world.Preload("mysqld", "hadb02", ResourceRole.Started);

        var (status, _) = await ConvergeAsync(world, ClusterStatus.AllOnline(["hadb01", "hadb02"]));

        Assert.Empty(world.Violations);
        Assert.Equal(["probe:drbd@hadb01", "probe:drbd@hadb02", "probe:fs@hadb01", "probe:fs@hadb02", "probe:mysqld@hadb01", "probe:mysqld@hadb02"],
            world.Log.Where(id => id.StartsWith("probe:", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("hadb02", AssertSteadyState(world, status, ["hadb01", "hadb02"]));
        Assert.DoesNotContain(world.Log, id => id.StartsWith("start:fs", StringComparison.Ordinal) || id.StartsWith("start:mysqld", StringComparison.Ordinal));
        Assert.DoesNotContain(world.Log, id => id.StartsWith("promote:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrimaryCrashes_IsFencedThenEverythingMovesToTheSurvivor()
    {
        var world = new SimulatedCluster();
        var (status, _) = await ConvergeAsync(world, ClusterStatus.AllOnline(["hadb01", "hadb02"]));
        var primary = AssertSteadyState(world, status, ["hadb01", "hadb02"]);
        var survivor = Other(primary);

        // Membership loses the node without a clean leave: it is unclean until fenced.
        world.Crash(primary);
        status = status with { Nodes = [.. status.Nodes.Select(n => n.Name == primary ? n with { Online = false, Unclean = true } : n)] };
        world.Log.Clear();
        (status, _) = await ConvergeAsync(world, status);

        Assert.Empty(world.Violations);
        Assert.Equal("fence@" + primary, world.Log.First(id => !id.StartsWith("monitor", StringComparison.Ordinal) && !id.Contains('@' + survivor, StringComparison.Ordinal)));
        var fencedAt = world.Log.IndexOf("fence@" + primary);
        Assert.True(fencedAt < world.Log.IndexOf($"promote:drbd@{survivor}"), string.Join(", ", world.Log));
        Assert.Equal(survivor, AssertSteadyState(world, status, [survivor]));
        Assert.Equal(new NodeStatus(primary, Online: false, Unclean: false), status.FindNode(primary));
    }

    [Fact]
    public async Task MysqldKilled_MonitorFailureIsRecoveredInPlace_WithAFailcountOfOne()
    {
        var world = new SimulatedCluster();
        var (status, _) = await ConvergeAsync(world, ClusterStatus.AllOnline(["hadb01", "hadb02"]));
        var primary = AssertSteadyState(world, status, ["hadb01", "hadb02"]);

        // The recurring monitor notices (its result is what the executor records for it).
        world.Kill("mysqld", primary);
        var monitor = new TransitionAction(TransitionOp.Monitor, "mysqld", primary, Duration.FromSeconds(10));
        var result = await world.RunAsync(monitor, TimeSpan.FromSeconds(20), Ct);
        status = StatusRecorder.Record(status, Seed, new ExecutedAction(monitor, result, ActionExpectations.Succeeded(monitor, result), DateTimeOffset.UnixEpoch, TimeSpan.Zero));
        Assert.Equal(InstanceRole.Failed, status.RoleOf("mysqld", primary));
        world.Log.Clear();
        (status, _) = await ConvergeAsync(world, status);

        Assert.Empty(world.Violations);
        Assert.Equal(primary, AssertSteadyState(world, status, ["hadb01", "hadb02"]));
        Assert.Equal(new Score(1), status.FailcountOf("mysqld", primary).Count);
        Assert.Contains($"start:mysqld@{primary}", world.Log);
        Assert.DoesNotContain(world.Log, id => id.StartsWith("fence", StringComparison.Ordinal));
    }

    private static async Task<(ClusterStatus Status, int Transitions)> ConvergeAsync(SimulatedCluster world, ClusterStatus status)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var outcome = await TransitionLoop.RunAsync(Seed, status, new TransitionExecutor(world, time), time.GetUtcNow(), MaxTransitions, Ct);
        Assert.True(outcome.Settled, $"still scheduling after {MaxTransitions} transitions: {string.Join(", ", Scheduler.Schedule(Seed, outcome.Status).Ordered())}\nlog: {string.Join(", ", world.Log)}");
        Assert.All(outcome.Steps, step => Assert.True(step.Result.Completed, step.Result.AbortReason));
        return (outcome.Status, outcome.Steps.Length);
    }

    /// <summary>Exactly one DRBD Primary, the group on it (in the status and in the world); returns that node.</summary>
    private static string AssertSteadyState(SimulatedCluster world, ClusterStatus status, string[] nodes)
    {
        var primaries = nodes.Where(n => status.RoleOf("drbd", n) == InstanceRole.Promoted).ToList();
        var primary = Assert.Single(primaries);
        Assert.Equal(ResourceRole.Promoted, world.RoleOf("drbd", primary));
        Assert.Single(nodes, n => world.RoleOf("drbd", n) == ResourceRole.Promoted);
        foreach (var member in new[] { "fs", "mysqld" })
        {
            Assert.Equal(InstanceRole.Started, status.RoleOf(member, primary));
            Assert.Equal(ResourceRole.Started, world.RoleOf(member, primary));
            Assert.All(nodes.Where(n => n != primary), n => Assert.Null(world.RoleOf(member, n)));
        }

        return primary;
    }

    private static string Other(string node) => node == "hadb01" ? "hadb02" : "hadb01";
}
