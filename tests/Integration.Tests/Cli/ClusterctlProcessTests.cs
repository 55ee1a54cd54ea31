using System.Text.Json;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Cli;

/// <summary>The real clusterctl binary against real daemons over their Unix sockets.</summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class ClusterctlProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StatusJson_TwoNodesThenPeerKilled_ShapeAndValuesFollowTheCluster()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        var ring = await cluster.WaitForViewAsync([0, 1], Ct);

        var formed = await Clusterctl("--socket", cluster[0].Socket, "status", "--json");
        Assert.Equal(0, formed.ExitCode);
        using (var json = JsonDocument.Parse(formed.Stdout))
        {
            var root = json.RootElement;
            Assert.Equal("hacluster", root.GetProperty("cluster").GetString());
            Assert.True(root.GetProperty("quorate").GetBoolean());
            Assert.Equal("node1", root.GetProperty("dc").GetString());
            Assert.Equal(ring, root.GetProperty("ringId").GetString());
            Assert.Equal(JsonValueKind.Array, root.GetProperty("resources").ValueKind);
            var nodes = root.GetProperty("nodes").EnumerateArray().ToArray();
            Assert.Equal(["node1", "node2"], nodes.Select(n => n.GetProperty("name").GetString()));
            Assert.Equal([1, 2], nodes.Select(n => n.GetProperty("id").GetInt32()));
            Assert.All(nodes, n => Assert.True(n.GetProperty("online").GetBoolean()));
            Assert.All(nodes, n => Assert.False(n.GetProperty("standby").GetBoolean()));
            Assert.All(nodes, n => Assert.False(n.GetProperty("unclean").GetBoolean()));
            var link = nodes[1].GetProperty("links")[0];
            Assert.True(link.GetProperty("up").GetBoolean());
            Assert.True(link.GetProperty("received").GetInt64() > 0);
        }

        cluster[1].Signal(Signals.SigKill);
        await cluster[0].WaitForAsync(s => !s.Nodes[1].Online, cluster.Token * 5, Ct);

        var after = await Clusterctl("status", "--json", "--socket", cluster[0].Socket); // --socket after the verb
        Assert.Equal(0, after.ExitCode);
        using (var json = JsonDocument.Parse(after.Stdout))
        {
            var peer = json.RootElement.GetProperty("nodes")[1];
            Assert.False(peer.GetProperty("online").GetBoolean());
            Assert.True(peer.GetProperty("unclean").GetBoolean());
            Assert.True(json.RootElement.GetProperty("quorate").GetBoolean());
        }

        var text = await Clusterctl("status", "--socket", cluster[0].Socket);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("partition with quorum", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("UNCLEAN", text.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("events", "--follow", "--json")]
    [InlineData("status", "--watch", "--json")]
    public async Task Following_PeerKilled_PrintsTheLossThenExitsZeroOnCtrlC(params string[] verb)
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.Clusterctl);
        foreach (var arg in verb.Append("--socket").Append(cluster[0].Socket))
        {
            start.ArgumentList.Add(arg);
        }

        using var follower = System.Diagnostics.Process.Start(start)!;
        try
        {
            if (verb[0] == "status")
            {
                Assert.NotNull(await follower.StandardOutput.ReadLineAsync(Ct)); // the first picture: it is watching
            }
            else
            {
                await Task.Delay(TimeSpan.FromSeconds(2), Ct); // events print nothing until one happens: give it time to subscribe
            }

            cluster[1].Signal(Signals.SigKill);
            await WaitForLineAsync(follower, line => IsLossOfNode2(line, verb[0]), cluster.Token * 6);

            Signals.Send(follower.Id, 2); // SIGINT, as Ctrl-C
            using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            exit.CancelAfter(TimeSpan.FromSeconds(10));
            await follower.WaitForExitAsync(exit.Token);
            Assert.Equal(0, follower.ExitCode);
        }
        finally
        {
            if (!follower.HasExited)
            {
                follower.Kill();
            }
        }
    }

    [Fact]
    public async Task Status_NoDaemon_Exit3NamingTheSocket()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"clusterd-none-{Guid.NewGuid():N}.sock");

        var result = await Clusterctl("--socket", socket, "status");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(socket, result.Stderr, StringComparison.Ordinal);
    }

    private static bool IsLossOfNode2(string line, string verb)
    {
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return verb == "events"
            ? root.GetProperty("lost").EnumerateArray().Any(n => n.GetString() == "node2")
            : root.GetProperty("nodes").EnumerateArray().Any(n => n.GetProperty("name").GetString() == "node2" && n.GetProperty("unclean").GetBoolean());
    }

    private static async Task WaitForLineAsync(System.Diagnostics.Process process, Func<string, bool> match, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(limit);
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (match(line))
            {
                return;
            }
        }

        Assert.Fail($"output ended without the expected line; stderr: {await process.StandardError.ReadToEndAsync(Ct)}");
    }

    private static Task<ProcessRunner.Result> Clusterctl(params string[] args) =>
        ProcessRunner.RunDotnetAsync(RepoPaths.Clusterctl, args, Ct);
}
