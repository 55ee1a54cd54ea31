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
    public async Task Simulate_SignalledWhileWorking_StopsPromptlyWithExit130AndPrintsNothing(int signal)
    {
        var directory = Directory.CreateTempSubdirectory("clusterd-simulate-").FullName;
        try
        {
            // 30,000 primitives on 16 nodes: just under the 8 MiB clusterctl reads, seconds of work with --run.
            // The node_state without a uname is ignored with a warning, printed once the input is read.
            var cib = Path.Combine(directory, "large.xml");
            var text = ScaleCluster.Cib(30_000, ScaleCase.ColdStart).Replace("<status>", "<status><node_state id=\"99\" />", StringComparison.Ordinal);
            await File.WriteAllTextAsync(cib, text, Ct);
            Assert.InRange(new FileInfo(cib).Length, 4L << 20, 8L << 20);

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])[RepoPaths.Clusterctl, "simulate", "--config", cib, "--run", "--now", "2026-03-01T12:00:00Z"])
            {
                start.ArgumentList.Add(arg);
            }

            using var simulate = Process.Start(start)!;
            var stdout = simulate.StandardOutput.ReadToEndAsync(Ct);
            try
            {
                // Working: it has read and imported the whole configuration, and goes on to schedule it.
                using (var loaded = CancellationTokenSource.CreateLinkedTokenSource(Ct))
                {
                    loaded.CancelAfter(TimeSpan.FromSeconds(60));
                    var warning = await simulate.StandardError.ReadLineAsync(loaded.Token);
                    Assert.Contains("without a uname is ignored", warning, StringComparison.Ordinal);
                }

                var stderr = simulate.StandardError.ReadToEndAsync(Ct);
                Assert.False(simulate.HasExited, "simulate finished before it could be interrupted");
                Signals.Send(simulate.Id, signal);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                deadline.CancelAfter(TimeSpan.FromSeconds(5)); // generous: the machine is shared
                await simulate.WaitForExitAsync(deadline.Token);

                Assert.Equal(Interrupted, simulate.ExitCode);
                Assert.Equal("", await stdout);
                Assert.Contains("clusterctl: simulate: interrupted (SIGINT or SIGTERM) before it finished; nothing was printed or written", await stderr, StringComparison.Ordinal);
            }
            finally
            {
                if (!simulate.HasExited)
                {
                    simulate.Kill();
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
