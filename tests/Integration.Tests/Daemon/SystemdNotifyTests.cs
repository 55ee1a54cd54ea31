using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Daemon;

/// <summary>
/// Type=notify: clusterd tells the service manager READY=1 once it serves, and STOPPING=1 on
/// SIGTERM. Stands in for systemd with the real protocol: a datagram socket in NOTIFY_SOCKET and a
/// parent process whose name is "systemd" (how the hosting library recognises a systemd service).
/// </summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task UnderServiceManager_Start_NotifiesReadyThenStoppingOnSigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = LoopbackCluster.Create(2);
        var notifyPath = Path.Combine(cluster.Root, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var manager = Path.Combine(cluster.Root, "systemd");
        File.CreateSymbolicLink(manager, "/bin/bash");

        // bash (named "systemd") stays the parent: the trailing ': done' keeps it from exec'ing clusterd.
        var start = new ProcessStartInfo(manager) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"dotnet '{RepoPaths.Clusterd}' --config '{cluster.ConfigPath(0)}' --node node1; : done");
        start.Environment["NOTIFY_SOCKET"] = notifyPath;
        using var parent = Process.Start(start)!;
        try
        {
            var ready = await ReceiveAsync(notify, TimeSpan.FromSeconds(30), ct);
            Assert.Contains("READY=1", ready, StringComparison.Ordinal);

            // READY=1 means serving: checked at once, with no wait, the UDP link and the messaging
            // listener are bound and the admin socket answers.
            var address = System.Net.IPAddress.Parse(cluster.Addresses[0]);
            Assert.True(IsBound("/proc/net/udp", address, 5405), "READY=1 came before the UDP link was bound");
            Assert.True(IsBound("/proc/net/tcp", address, 5406), "READY=1 came before the messaging listener was bound");
            Assert.True(File.Exists(cluster.SocketPath(0)), "READY=1 came before the admin socket existed");
            using (var channel = ClusterD.Admin.V1.AdminChannel.ForUnixSocket(cluster.SocketPath(0)))
            {
                var status = await new ClusterD.Admin.V1.ClusterAdmin.ClusterAdminClient(channel).GetStatusAsync(
                    new ClusterD.Admin.V1.GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                Assert.Equal("node1", status.LocalNode);
            }

            var daemon = ChildOf(parent.Id);
            Signals.Send(daemon, Signals.SigTerm);
            var stopping = await ReceiveAsync(notify, TimeSpan.FromSeconds(15), ct);
            Assert.Contains("STOPPING=1", stopping, StringComparison.Ordinal);

            using var exit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            exit.CancelAfter(TimeSpan.FromSeconds(15));
            await parent.WaitForExitAsync(exit.Token);
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Whether a socket in /proc/net/{udp,tcp} is bound to <paramref name="address"/>:<paramref name="port"/> (state 07 UDP, 0A LISTEN for TCP).</summary>
    private static bool IsBound(string table, System.Net.IPAddress address, int port)
    {
        // local_address is the IPv4 address as a little-endian hex word, then ':' and the port in hex.
        var local = $"{BitConverter.ToUInt32(address.GetAddressBytes()):X8}:{port:X4}";
        var state = table.EndsWith("udp", StringComparison.Ordinal) ? "07" : "0A";
        return File.ReadLines(table).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields[1] == local && fields[3] == state);
    }

    private static int ChildOf(int pid)
    {
        var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(Assert.Single(children), System.Globalization.CultureInfo.InvariantCulture);
    }
}
