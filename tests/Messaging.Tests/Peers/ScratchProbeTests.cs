using System.Net.Sockets;
using ClusterD.Messaging.Peers;
using static ClusterD.Messaging.Tests.Peers.PeerFixture;

namespace ClusterD.Messaging.Tests.Peers;

[Collection(PeerNetworkCollection.Name)]
public sealed class ScratchProbeTests
{
    private static int SocketFds() => new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
        .Count(f => f.LinkTarget is { } t && t.StartsWith("socket:", StringComparison.Ordinal));

    [Fact]
    public async Task Probe_Fds()
    {
        var cluster = new PeerCluster(1, 2);
        await using var n2 = cluster.Node(2, n => n.Handle(Echo, EchoHandler));
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        var before = SocketFds();
        for (var i = 1; i <= 30; i++)
        {
            n1.Disconnect(2, "cycle");
            await Until(() => n1.Link(2) is { Connected: true } l && l.Reconnects == i && n2.Link(1).Reconnects == i, "reconnected");
        }
        var after = SocketFds();
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        var afterGc = SocketFds();
        TestContext.Current.TestOutputHelper!.WriteLine($"socket fds before {before}, after 30 cycles {after}, after GC {afterGc}");
    }

    [Fact]
    public async Task Probe_LateHandler()
    {
        var errors = new List<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> h = (_, e) => { lock (errors) errors.Add(e.Exception); };
        TaskScheduler.UnobservedTaskException += h;
        try
        {
            var cluster = new PeerCluster(1, 2);
            var release = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var got = 0;
            var n2 = cluster.Node(2, n => n.Handle("slow", _ => { Interlocked.Increment(ref got); return new ValueTask<byte[]?>(release.Task); }));
            await using var n1 = cluster.Node(1);
            await UntilConnected(n1, 1, n2, 2);
            var r = n1.RequestAsync(2, "slow", new byte[1], TimeSpan.FromSeconds(30), Ct);
            await Until(() => got == 1, "got");
            await n2.DisposeAsync();
            await Failure(r);
            release.SetResult([1]);
            for (var i = 0; i < 50; i++) { await Task.Delay(20, Ct); GC.Collect(); GC.WaitForPendingFinalizers(); }
        }
        finally { TaskScheduler.UnobservedTaskException -= h; }
        foreach (var e in errors) TestContext.Current.TestOutputHelper!.WriteLine("UNOBSERVED: " + e);
        TestContext.Current.TestOutputHelper!.WriteLine($"{errors.Count} unobserved");
    }

    [Fact]
    public async Task Probe_Oversized()
    {
        var cluster = new PeerCluster(1, 2);
        var got = 0;
        await using var n2 = cluster.Node(2, n => { n.Handle(Echo, EchoHandler); n.Handle("big", _ => { Interlocked.Increment(ref got); return default; }); });
        await using var n1 = cluster.Node(1);
        await UntilConnected(n1, 1, n2, 2);
        var pending = n1.RequestAsync(2, Echo, new byte[1], TimeSpan.FromSeconds(30), Ct);
        Exception? sendError = null;
        try { await n1.SendAsync(2, "big", new byte[(1 << 20) + 100], Ct); } catch (Exception e) { sendError = e; }
        Exception? pendingError = null;
        try { await pending.WaitAsync(TimeSpan.FromSeconds(5), Ct); } catch (Exception e) { pendingError = e; }
        await Task.Delay(500, Ct);
        TestContext.Current.TestOutputHelper!.WriteLine($"send error: {sendError?.GetType().Name}; pending: {pendingError?.GetType().Name} {pendingError?.Message}; got {got}; [1] {n1.Describe()} | [2] {n2.Describe()}");
    }
}
