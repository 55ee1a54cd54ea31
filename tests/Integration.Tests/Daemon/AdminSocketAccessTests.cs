using ClusterD.Admin.V1;
using ClusterD.TestKit.Processes;
using Grpc.Core;

namespace ClusterD.Integration.Tests.Daemon;

/// <summary>
/// The admin socket authorises each call by the caller's kernel credentials: the real clusterctl
/// run as throwaway users (outside both groups, read-only group, admin group) against a real daemon.
/// </summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class AdminSocketAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Callers_ByGroup_OutsiderRefusedReaderReadsOnlyAdminAndRootMayAll()
    {
        Assert.True(Environment.UserName == "root", "this test creates users and groups: run it as root (CI does)");
        await using var accounts = new ThrowawayAccounts();
        var admins = await accounts.GroupAsync("adm", Ct);
        var readers = await accounts.GroupAsync("ro", Ct);
        var outsider = await accounts.UserAsync("out", [], Ct);
        var reader = await accounts.UserAsync("rd", [readers], Ct);
        var admin = await accounts.UserAsync("ad", [admins], Ct);
        var outsiderUid = await ThrowawayAccounts.IdAsync("-u", outsider, Ct);
        var readerUid = await ThrowawayAccounts.IdAsync("-u", reader, Ct);

        await using var cluster = LoopbackCluster.Create(2);
        File.WriteAllText(cluster.ConfigPath(0), File.ReadAllText(cluster.ConfigPath(0)).Replace(
            "    messaging_port:", $"    admin_socket_group: {admins}\n    admin_readonly_group: {readers}\n    messaging_port:", StringComparison.Ordinal));
        // The socket's directories must be searchable by the throwaway users (temp directories are 0700).
        File.SetUnixFileMode(cluster.Root, (UnixFileMode)Convert.ToInt32("711", 8));
        File.SetUnixFileMode(Path.GetDirectoryName(cluster.ConfigPath(0))!, (UnixFileMode)Convert.ToInt32("711", 8));
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);
        var socket = cluster[0].Socket;

        var refused = await ThrowawayAccounts.ClusterctlAsAsync(outsider, Ct, "status", "--socket", socket);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("PermissionDenied", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains($"uid {outsiderUid} may not use the admin API: GetStatus needs root or membership of group '{admins}'", refused.Stderr, StringComparison.Ordinal);

        var read = await ThrowawayAccounts.ClusterctlAsAsync(reader, Ct, "status", "--json", "--socket", socket);
        Assert.True(read.ExitCode == 0, read.Stderr);
        Assert.Contains("\"cluster\": \"hacluster\"", read.Stdout, StringComparison.Ordinal);

        var adminRead = await ThrowawayAccounts.ClusterctlAsAsync(admin, Ct, "status", "--json", "--socket", socket);
        Assert.True(adminRead.ExitCode == 0, adminRead.Stderr);

        // An admin RPC (the messaging benchmark; clusterctl has no verb for it) over connections made
        // with each user's credentials: refused for the reader before it runs, allowed for the admin and root.
        var bench = new BenchMessagingRequest { Node = "node2", Count = 100, PayloadBytes = 64, Mode = BenchMessagingRequest.Types.Mode.Stream };
        var readerGid = await ThrowawayAccounts.IdAsync("-g", reader, Ct);
        var readerCaller = new CallerCredentials(readerUid, readerGid, [readerGid, await GroupIdAsync(readers)]);
        var denied = await Assert.ThrowsAsync<RpcException>(() => readerCaller.Client(socket).BenchMessagingAsync(bench, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal($"uid {readerUid} (read-only group '{readers}') may only call GetStatus and WatchEvents; BenchMessaging needs root or membership of group '{admins}'",
            denied.Status.Detail);
        var readerStatus = await readerCaller.Client(socket).GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: Ct);
        Assert.Equal("hacluster", readerStatus.Cluster);

        var adminUid = await ThrowawayAccounts.IdAsync("-u", admin, Ct);
        var adminGid = await ThrowawayAccounts.IdAsync("-g", admin, Ct);
        var adminReply = await new CallerCredentials(adminUid, adminGid, [adminGid, await GroupIdAsync(admins)]).Client(socket)
            .BenchMessagingAsync(bench, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Ct);
        Assert.Equal(100UL, adminReply.Sent);
        var rootReply = await cluster[0].Client.BenchMessagingAsync(bench, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Ct);
        Assert.Equal(100UL, rootReply.Sent);
    }

    [Fact]
    public async Task BenchMessaging_AboveTheBounds_InvalidArgumentNamingTheLimit()
    {
        await using var cluster = LoopbackCluster.Create(2);
        cluster.StartAll();
        await cluster.WaitForViewAsync([0, 1], Ct);

        var e = await Assert.ThrowsAsync<RpcException>(() => cluster[0].Client.BenchMessagingAsync(
            new BenchMessagingRequest { Node = "node2", Count = 100, PayloadBytes = 1 << 20, Mode = BenchMessagingRequest.Types.Mode.Stream },
            deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("payload_bytes 1048576: must be at most 65536", e.Status.Detail);
    }

    private static async Task<uint> GroupIdAsync(string group) =>
        uint.Parse((await ProcessRunner.RunAsync("getent", ["group", group], Ct)).Stdout.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture);
}
