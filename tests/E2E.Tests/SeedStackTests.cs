using System.Globalization;
using ClusterD.Admin.V1;
using ClusterD.Daemon.Demo;
using ClusterD.TestKit.Testbed;

namespace ClusterD.E2E.Tests;

/// <summary>
/// The seed's whole stack on the testbed (real clusterd, DRBD stand-in over a loop image with ext3, MariaDB,
/// haproxy), under real faults, with a client writing through the load balancer all along. After every
/// scenario: no acknowledged write is missing, DRBD never had two Primaries and refused nothing, the writes
/// moved between nodes only as the scenario moved the service, and the cluster settles clean.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class SeedStackTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task ColdStart_PromotesOneNode_AndServesWrites()
    {
        await using var run = await StartAsync();
        var (bed, load, active) = (run.Bed, run.Load, run.Active);

        await AssertSafeAsync(bed, load, [active]);
        Assert.Single(bed.DrbdRecord().Promotions);
    }

    [Fact]
    public async Task Standby_SwitchesOverAndBack_WithoutLosingAWrite()
    {
        await using var run = await StartAsync();
        var (bed, load, first) = (run.Bed, run.Load, run.Active);
        var second = Other(first);

        var away = await SwitchoverAsync(bed, load, first, second);
        // Back online, the old node rejoins as Unpromoted and nothing moves back (stickiness).
        await bed.Admin(first).StandbyAsync(new StandbyRequest { Node = first, On = false }, cancellationToken: Ct);
        Assert.Equal(second, await bed.WaitForPlacementAsync(Settle, Ct));
        var back = await SwitchoverAsync(bed, load, second, first);
        await bed.Admin(second).StandbyAsync(new StandbyRequest { Node = second, On = false }, cancellationToken: Ct);

        await AssertSafeAsync(bed, load, [first, second, first]);
        output.WriteLine($"switchover: client outage {away.TotalMilliseconds:0} ms, and back {back.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task CrashOfTheActiveNode_FencesIt_FailsOver_AndItRejoinsAsUnpromotedWithoutFailback()
    {
        await using var run = await StartAsync();
        var (bed, load, active) = (run.Bed, run.Load, run.Active);
        var survivor = Other(active);

        var crash = DateTimeOffset.UtcNow;
        await bed.CrashAsync(active, Ct);
        var first = await load.WaitForWriteAsync(crash, survivor, Failover, Ct);
        var fenced = (await bed.StatusAsync(survivor, Ct)).Fencing.Where(f => f.Target == active).ToArray();
        Assert.True(fenced.Length > 0, $"the survivor recovered without fencing {active}\n{bed.Diagnostics()}");
        output.WriteLine($"crash -> first write on {survivor}: {(first.Acknowledged - crash).TotalMilliseconds:0} ms");

        Assert.Equal(survivor, await bed.BootAndSettleAsync(active, survivor, Settle, Ct));
        await AssertSafeAsync(bed, load, [active, survivor]);
    }

    [Fact]
    public async Task FreezePastToken_GetsTheFrozenNodeFenced_AndItNeverWritesAfterBeingReplaced()
    {
        await using var run = await StartAsync();
        var (bed, load, active) = (run.Bed, run.Load, run.Active);
        var survivor = Other(active);

        var freeze = DateTimeOffset.UtcNow;
        var thaw = TimeSpan.FromSeconds(8);
        await bed.FreezeAsync(active, thaw, Ct);
        await load.WaitForWriteAsync(freeze, survivor, Failover, Ct);
        // Replaced, it must be off: a thawed node that still ran would write again.
        Assert.Equal("off", bed.Power(active));
        await load.WaitForWriteAsync(freeze + thaw + TimeSpan.FromSeconds(2), survivor, Failover, Ct);

        Assert.Equal(survivor, await bed.BootAndSettleAsync(active, survivor, Settle, Ct));
        await AssertSafeAsync(bed, load, [active, survivor]);
    }

    [Fact]
    public async Task LinkCutBetweenTheNodes_LeavesExactlyOneSurvivor_TheActiveOne()
    {
        // The fence race is decided by priority-fencing-delay: the node without the Promoted instance waits.
        await using var run = await StartAsync(fencingDelay: "5s");
        var (bed, load, active) = (run.Bed, run.Load, run.Active);
        var passive = Other(active);

        var cut = DateTimeOffset.UtcNow;
        await bed.CutLinkAsync(active, Ct);
        await bed.WaitUntilAsync(() => bed.Power(passive) == "off", Failover, $"{passive} fenced after the cut", Ct);
        await load.WaitForWriteAsync(DateTimeOffset.UtcNow, active, Failover, Ct);
        // Past the loser's delay, the winner still runs: exactly one survivor.
        await load.WaitForWriteAsync(cut + TimeSpan.FromSeconds(7), active, Failover, Ct);
        Assert.Equal("on", bed.Power(active));

        await bed.HealAsync(Ct);
        Assert.Equal(active, await bed.BootAndSettleAsync(passive, active, Settle, Ct));
        await AssertSafeAsync(bed, load, [active]);
    }

    [Fact]
    public async Task MysqldKilled_IsRestartedInPlace_ThenMovedAtTheMigrationThreshold()
    {
        await using var run = await StartAsync();
        var (bed, load, active) = (run.Bed, run.Load, run.Active);
        var other = Other(active);

        // First failure: the monitor sees mysqld gone and the cluster restarts it where it was.
        var firstKill = DateTimeOffset.UtcNow;
        var firstPid = await bed.KillMysqldAsync(active, Ct);
        await bed.WaitUntilAsync(() => bed.MysqldPid(active) is { } pid && pid != firstPid && load.FirstAfter(firstKill, active) is not null,
            Failover, $"mysqld restarted on {active}", Ct);
        Assert.Equal(active, await bed.WaitForPlacementAsync(Settle, Ct));

        // Second failure reaches migration-threshold=2: the service moves.
        var secondKill = DateTimeOffset.UtcNow;
        await bed.KillMysqldAsync(active, Ct);
        await load.WaitForWriteAsync(secondKill, other, Failover, Ct);
        Assert.Equal(other, await bed.WaitForPlacementAsync(Settle, Ct));
        var failcount = (await bed.StatusAsync(other, Ct)).Failcounts.FirstOrDefault(f => f.Resource == Testbed.Mysqld && f.Node == active);
        Assert.Equal(2, failcount?.Count);

        await AssertSafeAsync(bed, load, [active, other]);
    }

    /// <summary>
    /// Randomized faults on one testbed under one client (CLUSTERD_E2E_FAULTS of them, 4 by default; the failover
    /// harness's mysql-faults mode runs 50 and more), seeded by CLUSTERD_E2E_SEED (printed, to replay a run).
    /// </summary>
    [Fact]
    public async Task RandomFaults_NeverLoseAnAcknowledgedWrite_NorWriteFromANodeThatIsNotPrimary()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("CLUSTERD_E2E_FAULTS"), CultureInfo.InvariantCulture, out var n) ? n : 4;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CLUSTERD_E2E_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed} (CLUSTERD_E2E_SEED={seed} replays this run), {count} faults");
        await using var run = await StartAsync(fencingDelay: "3s");
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            output.WriteLine($"fault {i + 1}: {await RandomFaults.RunOneAsync(run.Bed, random, Ct)}");
        }

        await run.Load.StopAsync();
        var violations = await run.Bed.ViolationsAsync(run.Load, Ct);
        output.WriteLine($"{run.Load.Acknowledged.Count} writes acknowledged, {run.Load.Failures.Count} failed; served by {string.Join(" -> ", run.Load.ServingNodes())}");
        Assert.True(violations.Count == 0, $"seed {seed}:\n{string.Join('\n', violations)}\n{run.Bed.DrbdRecord()}\n{run.Bed.Diagnostics()}");
    }

    /// <summary>
    /// The side-by-side baseline: the same testbed and the same crm configuration under Debian's Corosync 3 +
    /// Pacemaker 2 (loaded with crmsh). A crash of the active node is fenced and failed over, the node rejoins
    /// as Unpromoted, and a crm_standby switchover moves the service, with the same checks as clusterd's.
    /// </summary>
    [Fact]
    public async Task Pacemaker_OnTheSameTestbed_FailsOverACrash_AndSwitchesOver_WithTheSameChecks()
    {
        await using var run = await StartAsync(stack: Testbed.PacemakerStack);
        var (bed, load, active) = (run.Bed, run.Load, run.Active);
        var survivor = Other(active);

        var crash = DateTimeOffset.UtcNow;
        await bed.CrashAsync(active, Ct);
        var first = await load.WaitForWriteAsync(crash, survivor, Failover, Ct);
        output.WriteLine($"Pacemaker: crash -> first write on {survivor}: {(first.Acknowledged - crash).TotalMilliseconds:0} ms");
        var log = bed.PacemakerLogs();
        Assert.True(log.First(crash, $"Operation 'off' targeting {active} by .*: OK") is { } fenced && fenced <= first.Acknowledged,
            $"Pacemaker served writes on {survivor} before fencing {active}\n{bed.Diagnostics()}");
        await bed.BootAsync(active, Ct);
        Assert.Equal(survivor, await bed.WaitForPlacementAsync(Settle, Ct));

        var away = await SwitchoverAsync(bed, load, survivor, active);
        await bed.StandbyAsync(survivor, on: false, Ct);
        output.WriteLine($"Pacemaker: switchover outage {away.TotalMilliseconds:0} ms");

        await AssertSafeAsync(bed, load, [active, survivor, active]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Other(string node) => Testbed.PeerOf(node);

    /// <summary>A fresh testbed with the service placed, and a client whose first write the active node acknowledged.</summary>
    private static async Task<Running> StartAsync(string fencingDelay = "0", string stack = Testbed.ClusterdStack)
    {
        if (Testbed.Unavailable(stack) is { } why)
        {
            Assert.False(Environment.GetEnvironmentVariable("CLUSTERD_REQUIRE_E2E") == "1", why);
            Assert.Skip(why);
        }

        var bed = await Testbed.UpAsync(fencingDelay: fencingDelay, stack: stack, cancellationToken: Ct);
        WriteLoad? load = null;
        try
        {
            var active = await bed.WaitForPlacementAsync(Settle, Ct);
            load = WriteLoad.Start(Testbed.ConnectionString());
            await load.WaitForWriteAsync(DateTimeOffset.UtcNow, active, TimeSpan.FromSeconds(10), Ct);
            return new Running(bed, load, active);
        }
        catch
        {
            if (load is not null)
            {
                await load.DisposeAsync();
            }

            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Standby of <paramref name="from"/>; returns the client's outage (last write on it to first on <paramref name="to"/>).</summary>
    private static async Task<TimeSpan> SwitchoverAsync(Testbed bed, WriteLoad load, string from, string to)
    {
        var requested = DateTimeOffset.UtcNow;
        await bed.StandbyAsync(from, on: true, Ct);
        var first = await load.WaitForWriteAsync(requested, to, Failover, Ct);
        Assert.Equal(to, await bed.WaitForPlacementAsync(Settle, Ct));
        var last = load.LastBefore(first.Sent);
        return first.Acknowledged - (last?.Acknowledged ?? requested);
    }

    /// <summary>The checks after every scenario.</summary>
    private async Task AssertSafeAsync(Testbed bed, WriteLoad load, string[] servingNodes)
    {
        Assert.Equal(servingNodes[^1], await bed.WaitForPlacementAsync(Settle, Ct));
        await load.StopAsync();
        var violations = await bed.ViolationsAsync(load, Ct);
        output.WriteLine($"{load.Acknowledged.Count} writes acknowledged, {load.Failures.Count} failed; served by {string.Join(" -> ", load.ServingNodes())}");
        output.WriteLine(bed.DrbdRecord().ToString());

        Assert.True(violations.Count == 0, $"{string.Join('\n', violations)}\n{bed.Diagnostics()}");
        Assert.Equal(servingNodes, load.ServingNodes());
    }
}

/// <summary>A scenario's testbed and client; the client stops before the testbed goes down.</summary>
internal sealed record Running(Testbed Bed, WriteLoad Load, string Active) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Load.DisposeAsync();
        await Bed.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TestbedCollection
{
    public const string Name = "testbed";
}
