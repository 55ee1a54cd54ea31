using ClusterD.Admin.V1;
using ClusterD.TestKit.Processes;
using ClusterD.TestKit.Resources;
using Grpc.Core;

namespace ClusterD.Integration.Tests.Controller;

/// <summary>Operator commands on real daemons: standby, switchover, cleanup, configuration changes, and refusals.</summary>
public sealed class OperatorCommandProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Standby_OfTheActiveNode_MovesEverything_AndUnstandbyMovesNothingBack()
    {
        await using var bed = await FormedAsync();
        var active = Active(bed)!.Value;
        var other = 1 - active;

        await bed.Cluster[other].Client.StandbyAsync(new StandbyRequest { Node = bed.Cluster.Names[active], On = true }, cancellationToken: Ct);

        // A node in standby runs nothing, the clone's Unpromoted instance included.
        Assert.True(await bed.WaitUntilAsync(() => Active(bed) == other && bed.RoleOn(active, "drbd_mysql") is null, Limit, Ct), bed.Describe());
        var status = await bed.Cluster[active].StatusAsync(Ct);
        Assert.True(status.Nodes.Single(n => n.Name == bed.Cluster.Names[active]).Standby);

        // Unstandby: stickiness keeps everything where it is now.
        await bed.Cluster[active].Client.StandbyAsync(new StandbyRequest { Node = bed.Cluster.Names[active], On = false }, cancellationToken: Ct);
        await bed.Cluster[active].WaitForAsync(s => !s.Nodes.Single(n => n.Name == bed.Cluster.Names[active]).Standby, Limit, Ct);
        Assert.True(await bed.WaitUntilAsync(() => bed.RoleOn(active, "drbd_mysql") == "Unpromoted", Limit, Ct), bed.Describe());
        Assert.Equal(other, Active(bed));
        Assert.Empty(bed.Fenced);
    }

    [Fact]
    public async Task Switchover_MovesThePromotedRoleInTheSafeOrder_AndTheConstraintGoes()
    {
        await using var bed = await FormedAsync();
        var active = Active(bed)!.Value;
        using var events = bed.Cluster[0].Client.WatchEvents(new WatchEventsRequest(), cancellationToken: Ct);

        // The headers come once the watcher is subscribed: from then on it sees every event.
        await events.ResponseHeadersAsync;
        var reply = await bed.Cluster[active].Client.SwitchoverAsync(new SwitchoverRequest { Resource = "ms_drbd_mysql" }, cancellationToken: Ct);

        Assert.Contains(bed.Cluster.Names[1 - active], reply.Message, StringComparison.Ordinal);
        Assert.True(await bed.WaitUntilAsync(() => Active(bed) == 1 - active, Limit, Ct), bed.Describe());
        var config = await bed.Cluster[0].WaitForConfigAsync(c => !c.Crm.Contains("cli-switchover", StringComparison.Ordinal), Limit, Ct);
        Assert.DoesNotContain("cli-switchover", config.Crm, StringComparison.Ordinal);

        // The order the DC requested: group stopped, then demote, then promote, then group started.
        var requested = new List<string>();
        while (await events.ResponseStream.MoveNext(Ct))
        {
            var e = events.ResponseStream.Current;
            if (e.Kind == EventKind.ActionRequested)
            {
                requested.Add(e.Action);
            }

            if (e.Kind == EventKind.FailoverCompleted)
            {
                break;
            }
        }

        var from = bed.Cluster.Names[active];
        var to = bed.Cluster.Names[1 - active];
        int At(string id) => requested.IndexOf(id) is >= 0 and var i ? i : throw new Xunit.Sdk.XunitException($"{id} not requested: {string.Join(", ", requested)}");
        Assert.True(At($"stop:fs_mysql@{from}") < At($"demote:drbd_mysql@{from}"));
        Assert.True(At($"demote:drbd_mysql@{from}") < At($"promote:drbd_mysql@{to}"));
        Assert.True(At($"promote:drbd_mysql@{to}") < At($"start:fs_mysql@{to}"));
    }

    [Fact]
    public async Task ConfigurationUpdate_OnOneNode_IsReplicatedAndApplied()
    {
        await using var bed = await FormedAsync();
        var before = await bed.Cluster[0].Client.GetConfigurationAsync(new GetConfigurationRequest(), cancellationToken: Ct);

        await bed.Cluster[1].Client.LoadConfigurationAsync(new LoadConfigurationRequest
        {
            Text = "primitive extra ocf:heartbeat:Dummy op monitor interval=2s\n",
            Replace = false,
        }, cancellationToken: Ct);

        var after = await bed.Cluster[0].WaitForConfigAsync(c => c.Crm.Contains("primitive extra", StringComparison.Ordinal), Limit, Ct);
        Assert.True(after.Epoch > before.Epoch);
        Assert.True(await bed.WaitUntilAsync(() => bed.RoleOn(0, "extra") == "Started" || bed.RoleOn(1, "extra") == "Started", Limit, Ct), bed.Describe());
        var persisted = File.ReadAllText(Path.Combine(bed.StateDir(0), "cib.crm"));
        Assert.Contains("primitive extra", persisted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_ClearsTheFailCount()
    {
        await using var bed = await FormedAsync();
        var active = Active(bed)!.Value;
        var mysqld = Path.Combine(bed.AgentDir(active), "Dummy-mysqld.state");
        File.Delete(mysqld);
        var failed = await bed.Cluster[0].WaitForAsync(s => s.Failcounts.Any(f => f.Resource == "mysqld"), Limit, Ct);
        Assert.Contains(failed.Failcounts, f => f.Resource == "mysqld" && f.Node == bed.Cluster.Names[active]);

        await bed.Cluster[0].Client.CleanupAsync(new CleanupRequest { Resource = "mysqld" }, cancellationToken: Ct);

        await bed.Cluster[0].WaitForAsync(s => !s.Failcounts.Any(f => f.Resource == "mysqld"), Limit, Ct);
        Assert.True(await bed.WaitUntilAsync(() => Active(bed) == active, Limit, Ct), bed.Describe());
    }

    [Fact]
    public async Task BadCommands_AreRefusedWithAPreciseStatus_AndChangeNothing()
    {
        await using var bed = await FormedAsync();
        var client = bed.Cluster[0].Client;
        var before = await client.GetConfigurationAsync(new GetConfigurationRequest(), cancellationToken: Ct);

        var unknownNode = await Assert.ThrowsAsync<RpcException>(async () => await client.StandbyAsync(new StandbyRequest { Node = "nosuch", On = true }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, unknownNode.StatusCode);
        Assert.Contains("nosuch", unknownNode.Status.Detail, StringComparison.Ordinal);

        var unknownResource = await Assert.ThrowsAsync<RpcException>(async () => await client.MoveResourceAsync(new MoveResourceRequest { Resource = "nosuch", Node = "node1" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.NotFound, unknownResource.StatusCode);

        var notPromotable = await Assert.ThrowsAsync<RpcException>(async () => await client.SwitchoverAsync(new SwitchoverRequest { Resource = "mysqld" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, notPromotable.StatusCode);

        var invalid = await Assert.ThrowsAsync<RpcException>(async () => await client.LoadConfigurationAsync(
            new LoadConfigurationRequest { Text = "primitive broken ocf:heartbeat:Dummy\ncolocation c inf: broken nosuch\n", Replace = true, Name = "bad.crm" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("bad.crm", invalid.Status.Detail, StringComparison.Ordinal);

        var after = await client.GetConfigurationAsync(new GetConfigurationRequest(), cancellationToken: Ct);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.Equal(before.Crm, after.Crm);
    }

    [Fact]
    public async Task DecisionJournal_OfTheDc_ReplaysExactlyWithClusterctl()
    {
        await using var bed = await FormedAsync();
        var journal = Path.Combine(bed.StateDir(0), "journal"); // node1 is the DC (lowest id)
        var latest = Directory.GetFiles(journal, "pe-*.json")
            .Select(f => long.Parse(Path.GetFileNameWithoutExtension(f)["pe-".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .Max();

        var replay = await ProcessRunner.RunDotnetAsync(RepoPaths.Clusterctl,
            ["simulate", "--replay", latest.ToString(System.Globalization.CultureInfo.InvariantCulture), "--journal", journal], Ct);

        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains($"replayed decision {latest}: identical to the recorded graph", replay.ToString(), StringComparison.Ordinal);
    }

    private static async Task<ResourceBed> FormedAsync()
    {
        var bed = new ResourceBed(RunningClusterProcessTests.Configuration);
        bed.StartAll();
        Assert.True(await bed.WaitUntilAsync(() => Active(bed) is { } a && bed.RoleOn(1 - a, "drbd_mysql") == "Unpromoted", Limit, Ct), bed.Describe());
        return bed;
    }

    private static int? Active(ResourceBed bed) => RunningClusterProcessTests.Active(bed);
}
