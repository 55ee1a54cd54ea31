using ClusterD.Agents.Native.Mysql;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native.Mysql;

/// <summary>Start, monitor and stop of a real MariaDB server on a private datadir, socket and loopback port.</summary>
public sealed class MysqlAgentLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static MysqlAgent NewAgent(string name = "ocf:clusterd:mysql") => new(
        AgentName.Parse(name),
        new AgentProcessRunner(new AgentProcessRunnerOptions(), TimeProvider.System),
        TimeProvider.System);

    [Fact]
    public async Task Start_Monitor_Stop_ObservablyRunningThenGone()
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var agent = NewAgent();
        var instance = AgentHarness.Instance("db");

        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance), Ct)).ExitCode);

        var start = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
        Assert.True(start.IsSuccess, start.ExitReason);
        var pid = Assert.Single(db.ServerProcesses());
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), start.Extras[MysqlAgent.ServerPidExtra]);
        Assert.True(db.TcpPortAnswers());
        Assert.True(File.Exists(db.Socket));

        var monitor = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance), Ct);
        Assert.Equal(OcfExitCode.Success, monitor.ExitCode);
        Assert.Equal("1", monitor.Extras[DurabilitySettings.FlushLogExtra]);

        var stop = await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct);
        Assert.True(stop.IsSuccess, stop.ExitReason);
        Assert.Contains("SIGTERM", stop.Extras["stop"], StringComparison.Ordinal);
        Assert.False(ProcFs.IsRunning(pid));
        Assert.Empty(db.ServerProcesses());
        Assert.False(File.Exists(db.Socket));
        Assert.False(File.Exists(db.PidFile));
        Assert.False(db.TcpPortAnswers());

        Assert.Equal(OcfExitCode.NotRunning, (await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance), Ct)).ExitCode);
        Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct)).IsSuccess);
    }

    [Fact]
    public async Task Start_WhenStarted_IsIdempotent_WithOneServer()
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var agent = NewAgent();
        var instance = AgentHarness.Instance("db");
        var first = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
        Assert.True(first.IsSuccess, first.ExitReason);

        var again = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
        // A fresh agent object knows nothing of the first start (clusterctl agent exec, a restarted daemon): the pid file tells it.
        var fresh = await NewAgent("ocf:heartbeat:mysql").ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);

        Assert.True(again.IsSuccess, again.ExitReason);
        Assert.True(fresh.IsSuccess, fresh.ExitReason);
        var pid = Assert.Single(db.ServerProcesses());
        Assert.Equal(first.Extras[MysqlAgent.ServerPidExtra], again.Extras[MysqlAgent.ServerPidExtra]);
        Assert.Equal(first.Extras[MysqlAgent.ServerPidExtra], fresh.Extras[MysqlAgent.ServerPidExtra]);

        Assert.True((await NewAgent().ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct)).IsSuccess);
        Assert.False(ProcFs.IsRunning(pid));
    }

    [Fact]
    public async Task Start_DatadirInUseByAnotherServer_IsRefused_AndMonitorFails()
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        // Another server on the same datadir, with its own pid file, socket and no TCP: what a hand-started mysqld looks like.
        var otherSocket = db.Combine("other.sock");
        using var other = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(MariaDbSandbox.Server)
        {
            ArgumentList =
            {
                $"--defaults-file={db.Config}", $"--datadir={db.DataDirectory}", $"--socket={otherSocket}",
                $"--pid-file={db.Combine("other.pid")}", $"--log-error={db.Combine("other.log")}", "--user=root", "--skip-networking",
            },
            UseShellExecute = false,
        })!;
        try
        {
            var agent = NewAgent();
            var instance = AgentHarness.Instance("db");
            await WaitForSocketAsync(otherSocket);

            var start = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
            var monitor = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance), Ct);

            Assert.Equal(OcfExitCode.GenericError, start.ExitCode);
            Assert.Contains($"in use by pid {other.Id}", start.ExitReason, StringComparison.Ordinal);
            Assert.Equal([other.Id], db.ServerProcesses());
            Assert.False(db.TcpPortAnswers());
            Assert.Equal(OcfExitCode.GenericError, monitor.ExitCode);
            Assert.Contains("does not answer", monitor.ExitReason, StringComparison.Ordinal);
        }
        finally
        {
            other.Kill();
            await other.WaitForExitAsync(Ct);
        }
    }

    [Fact]
    public async Task KillNine_MonitorSaysNotRunning_ThenStartRecovers()
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var agent = NewAgent();
        var instance = AgentHarness.Instance("db");
        Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct)).IsSuccess);
        var pid = Assert.Single(db.ServerProcesses());

        Assert.True(Posix.SignalProcess(pid, Posix.SigKill));
        await MariaDbSandbox.WaitGoneAsync(pid, Ct);
        var monitor = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance), Ct);

        Assert.True(monitor.ExitCode == OcfExitCode.NotRunning, $"{monitor.ExitCode}: {monitor.ExitReason}");
        Assert.Contains("stale pid file", monitor.ExitReason, StringComparison.Ordinal);
        Assert.True(File.Exists(db.PidFile));

        // A fresh start after the crash: InnoDB recovers, one new server.
        var start = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
        Assert.True(start.IsSuccess, start.ExitReason);
        var restarted = Assert.Single(db.ServerProcesses());
        Assert.NotEqual(pid, restarted);
        Assert.Equal(OcfExitCode.Success, (await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance), Ct)).ExitCode);
        Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct)).IsSuccess);
    }

    [Fact]
    public async Task Stop_ServerIgnoringSigterm_IsKilled_AndSucceedsOnlyOnceGone()
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var agent = NewAgent();
        var instance = AgentHarness.Instance("db");
        Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct)).IsSuccess);
        var pid = Assert.Single(db.ServerProcesses());
        const int sigStop = 19;
        Assert.True(Posix.SignalProcess(pid, sigStop)); // hung: SIGTERM stays pending, queries never answer

        var monitor = await agent.ExecuteAsync(db.Request(AgentAction.Monitor, instance, TimeSpan.FromSeconds(2)), Ct);
        var stop = await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance, TimeSpan.FromSeconds(4)), Ct);

        Assert.Equal(OcfExitCode.GenericError, monitor.ExitCode);
        Assert.True(stop.IsSuccess, stop.ExitReason);
        Assert.Contains("SIGKILL", stop.Extras["stop"], StringComparison.Ordinal);
        Assert.False(ProcFs.IsRunning(pid));
        Assert.Empty(db.ServerProcesses());
        Assert.False(File.Exists(db.Socket));
        Assert.False(File.Exists(db.PidFile));
        Assert.False(db.TcpPortAnswers());
    }

    [Fact]
    public async Task Start_ServerExitsDuringStart_FailsWithTheLogTail()
    {
        using var db = await MariaDbSandbox.CreateAsync(cancellationToken: Ct);
        var agent = NewAgent();
        var request = db.Request(AgentAction.Start, AgentHarness.Instance("db"), extra: new Dictionary<string, string>
        {
            ["additional_parameters"] = "--no-such-option-for-clusterd=1",
        });

        var start = await agent.ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.GenericError, start.ExitCode);
        Assert.Equal(AgentExecutionStatus.Completed, start.Status);
        Assert.Contains("exited during start", start.ExitReason, StringComparison.Ordinal);
        Assert.Contains("no-such-option-for-clusterd", start.ExitReason, StringComparison.Ordinal);
        Assert.Empty(db.ServerProcesses());
    }

    [Fact]
    public async Task Start_EmptyDatadirWithEnableCreation_InitializesAndStarts()
    {
        using var db = await MariaDbSandbox.CreateAsync(initialized: false, cancellationToken: Ct);
        var agent = NewAgent();
        var instance = AgentHarness.Instance("db");

        var refused = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance), Ct);
        var start = await agent.ExecuteAsync(db.Request(AgentAction.Start, instance, extra: new Dictionary<string, string> { ["enable_creation"] = "true" }), Ct);

        Assert.Equal(OcfExitCode.NotConfigured, refused.ExitCode);
        Assert.True(start.IsSuccess, start.ExitReason);
        Assert.True(Directory.Exists(Path.Combine(db.DataDirectory, "mysql")));
        Assert.Single(db.ServerProcesses());
        Assert.True((await agent.ExecuteAsync(db.Request(AgentAction.Stop, instance), Ct)).IsSuccess);
        Assert.Empty(db.ServerProcesses());
    }

    private static async Task WaitForSocketAsync(string socket)
    {
        for (var i = 0; i < 600 && !await MysqlProbe.SocketAnswersAsync(socket, Ct); i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(await MysqlProbe.SocketAnswersAsync(socket, Ct), $"nothing answers on {socket}");
    }
}
