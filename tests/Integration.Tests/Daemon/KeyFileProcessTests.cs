using ClusterD.Messaging.Security;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Daemon;

/// <summary>A cluster key others may read is refused: at start (exit 78) and on SIGHUP (the old key stays in force).</summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class KeyFileProcessTests
{
    private static readonly UnixFileMode Mode0644 = (UnixFileMode)Convert.ToInt32("644", 8);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_KeyMode0644_Exits78NamingKeyAndMode()
    {
        await using var cluster = LoopbackCluster.Create(2);
        File.SetUnixFileMode(cluster.KeyPath, Mode0644);

        var node = cluster.Start(0);
        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(78, exit);
        Assert.Contains($"clusterd: {cluster.KeyPath}: the cluster key is readable or writable by group or others (mode 0644)", node.Output,
            StringComparison.Ordinal);
        Assert.True(File.Exists(cluster.KeyPath));
    }

    [Fact]
    public async Task Sighup_ReplacementKeyMode0644_KeepsOldKeyAndSaysWhy()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        var replacement = Path.Combine(cluster.Root, "authkey-2");
        AuthKeyFile.Generate(replacement, 2);
        File.SetUnixFileMode(replacement, Mode0644);

        cluster.RewriteConfig(0, replacement);
        cluster[0].Signal(Signals.SigHup);
        Assert.True(await cluster[0].WaitForOutputAsync(
            $"keeping the old ones: {replacement}: the cluster key is readable or writable by group or others", TimeSpan.FromSeconds(20), Ct),
            cluster[0].Output);

        // node2 knows only the old key: restarted, it can join only if node1 still sends and accepts the old key.
        await cluster[1].DisposeAsync();
        cluster.Start(1);
        await cluster.WaitForViewAsync([0, 1], Ct);
        Assert.DoesNotContain("keys reloaded", cluster[0].Output, StringComparison.OrdinalIgnoreCase);
    }
}
