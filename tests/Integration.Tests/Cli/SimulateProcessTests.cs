using System.Diagnostics;
using ClusterD.CibKit;
using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Cli;

/// <summary>The real clusterctl binary running <c>simulate</c> on a large generated cluster, interrupted.</summary>
[Collection(nameof(Membership.RealProcesses))]
public sealed class SimulateProcessTests
{
    /// <summary>ExitCodes.Interrupted of clusterctl: 128 + SIGINT.</summary>
    private const int Interrupted = 130;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(2)] // SIGINT, as Ctrl-C
    [InlineData(Signals.SigTerm)]
    public async Task Simulate_SignalledWhileReadingItsStatus_StopsThereWithExit130AndPrintsNothing(int signal)
    {
        var directory = Directory.CreateTempSubdirectory("clusterd-simulate-").FullName;
        try
        {
            // A small configuration with a warning (printed once it is read), then a status just under the 8 MiB
            // limit: the signal comes while the status is read and parsed, and the message names that file.
            var config = Path.Combine(directory, "small.crm");
            await File.WriteAllTextAsync(config, "node n01\nprimitive p ocf:pacemaker:Dummy\nproperty stonith-enabled=false frobnicate=1\n", Ct);
            var status = Path.Combine(directory, "large.json");
            await File.WriteAllTextAsync(status, LargeStatus(), Ct);
            Assert.InRange(new FileInfo(status).Length, 4L << 20, 8L << 20);

            await InterruptAsync(
                ["simulate", "--config", config, "--status", status, "--now", "2026-03-01T12:00:00Z"],
                "unknown cluster property 'frobnicate'",
                signal,
                $"while reading {status}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(2)] // SIGINT, as Ctrl-C
    [InlineData(Signals.SigTerm)]
    public async Task Simulate_SignalledWhileWorking_StopsPromptlyWithExit130AndPrintsNothing(int signal)
    {
        var directory = Directory.CreateTempSubdirectory("clusterd-simulate-").FullName;
        try
        {
            // 30,000 primitives on 16 nodes: just under the 8 MiB clusterctl reads, seconds of work with --run.
            // The node_state without a uname is ignored with a warning, printed once the input is read: it has
            // read and imported the whole configuration, and goes on to schedule it.
            var cib = Path.Combine(directory, "large.xml");
            var text = ScaleCluster.Cib(30_000, ScaleCase.ColdStart).Replace("<status>", "<status><node_state id=\"99\" />", StringComparison.Ordinal);
            await File.WriteAllTextAsync(cib, text, Ct);
            Assert.InRange(new FileInfo(cib).Length, 4L << 20, 8L << 20);

            await InterruptAsync(
                ["simulate", "--config", cib, "--run", "--now", "2026-03-01T12:00:00Z"],
                "without a uname is ignored",
                signal,
                "before it finished");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Runs clusterctl with <paramref name="args"/>, sends <paramref name="signal"/> once its first line on stderr
    /// (containing <paramref name="warning"/>) arrives, and expects exit 130, no output and the interruption
    /// message saying <paramref name="where"/>.
    /// </summary>
    private static async Task InterruptAsync(string[] args, string warning, int signal, string where)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[RepoPaths.Clusterctl, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var simulate = Process.Start(start)!;
        var stdout = simulate.StandardOutput.ReadToEndAsync(Ct);
        try
        {
            using (var first = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                first.CancelAfter(TimeSpan.FromSeconds(60));
                Assert.Contains(warning, await simulate.StandardError.ReadLineAsync(first.Token), StringComparison.Ordinal);
            }

            var stderr = simulate.StandardError.ReadToEndAsync(Ct);
            Assert.False(simulate.HasExited, "simulate finished before it could be interrupted");
            Signals.Send(simulate.Id, signal);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(5)); // generous: the machine is shared
            await simulate.WaitForExitAsync(deadline.Token);

            Assert.Equal(Interrupted, simulate.ExitCode);
            Assert.Equal("", await stdout);
            Assert.Contains($"clusterctl: simulate: interrupted (SIGINT or SIGTERM) {where}; nothing was printed or written", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!simulate.HasExited)
            {
                simulate.Kill();
            }
        }
    }

    /// <summary>The status of a large running cluster, as status JSON: one node with many resources and their operations.</summary>
    private static string LargeStatus()
    {
        var sb = new System.Text.StringBuilder("{\"cluster\":\"c\",\"quorate\":true,\"nodes\":[{\"name\":\"n01\",\"online\":true}],\"resources\":[");
        const int count = 30_000;
        for (var i = 0; i < count; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"id\":\"r").Append(i).Append("\",\"agent\":\"ocf:pacemaker:Dummy\",\"instances\":[{\"node\":\"n01\",\"role\":\"Started\"}]}");
        }

        sb.Append("],\"operations\":[");
        for (var i = 0; i < count; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("{\"resource\":\"r").Append(i).Append("\",\"node\":\"n01\",\"operation\":\"start\",\"interval\":\"0\",\"rc\":0,\"callId\":").Append(i + 1).Append('}');
        }

        return sb.Append("]}").ToString();
    }
}
