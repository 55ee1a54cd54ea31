using ClusterD.Agents.Processes;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Processes;

/// <summary>Real processes through the real runner: environment, stdin, bounds, and group kill on timeout.</summary>
public sealed class AgentProcessRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static AgentProcessRunner Runner(bool reapOrphans = true) => new(
        new AgentProcessRunnerOptions { ReapOrphans = reapOrphans, TerminateGrace = TimeSpan.FromMilliseconds(500) },
        TimeProvider.System);

    [Fact]
    public async Task Run_Exits_ReportsStatusOutputAndOnlyTheGivenEnvironment()
    {
        var script = _dir.WriteScript("env.sh", """
            #!/bin/sh
            echo "out $ONE"
            echo "err" >&2
            env | grep -v '^PWD=' | grep -v '^SHLVL=' | grep -v '^_=' | sort
            exit 3
            """);

        var outcome = await Runner().RunAsync(
            new ProcessSpec(script) { Environment = new Dictionary<string, string> { ["ONE"] = "1", ["PATH"] = "/usr/bin:/bin" } },
            TestContext.Current.CancellationToken);

        Assert.Equal(ProcessCompletion.Exited, outcome.Completion);
        Assert.Equal(3, outcome.ExitStatus);
        Assert.Contains("out 1\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("err\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("ONE=1\nPATH=/usr/bin:/bin\n", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("HOME=", outcome.Output, StringComparison.Ordinal);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public async Task Run_Program_IsLeaderOfItsOwnSessionWithStdinClosed()
    {
        var script = _dir.WriteScript("ids.sh", """
            #!/bin/sh
            echo "pid=$$"
            ps -o pgid= -o sid= -p $$ | tr -s ' ' | sed 's/^ //'
            cat
            echo "stdin closed"
            """);

        var outcome = await Runner().RunAsync(new ProcessSpec(script) { Environment = Path() }, TestContext.Current.CancellationToken);

        Assert.Equal(0, outcome.ExitStatus);
        var pid = outcome.ProcessGroup;
        Assert.Contains($"pid={pid}\n{pid} {pid}\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("stdin closed", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StandardInput_IsWrittenThenClosed()
    {
        var script = _dir.WriteScript("stdin.sh", """
            #!/bin/sh
            while IFS= read -r line; do echo "got [$line]"; done
            echo "stdin closed"
            """);

        var outcome = await Runner().RunAsync(
            new ProcessSpec(script) { Environment = Path(), StandardInput = "action=off\nplug=nöde 1\n" },
            TestContext.Current.CancellationToken);

        Assert.Equal(0, outcome.ExitStatus);
        Assert.Equal("got [action=off]\ngot [plug=nöde 1]\nstdin closed\n", outcome.Output);
    }

    [Fact]
    public async Task Run_StandardInputNeverRead_DoesNotBlockTheRun()
    {
        var script = _dir.WriteScript("ignores-stdin.sh", """
            #!/bin/sh
            echo "done"
            """);

        var outcome = await Runner().RunAsync(
            new ProcessSpec(script) { Environment = Path(), StandardInput = new string('x', 1024 * 1024) },
            TestContext.Current.CancellationToken);

        Assert.Equal(ProcessCompletion.Exited, outcome.Completion);
        Assert.Equal("done\n", outcome.Output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_Timeout_KillsTheWholeGroupIncludingGrandchildren(bool reapOrphans)
    {
        var pidFile = _dir.Combine($"grandchild-{reapOrphans}.pid");
        var script = _dir.WriteScript($"hang-{reapOrphans}.sh", $$"""
            #!/bin/sh
            sleep 1000 &
            echo $! > {{pidFile}}
            echo "started grandchild"
            sleep 1000
            """);

        var outcome = await Runner(reapOrphans).RunAsync(
            new ProcessSpec(script) { Environment = Path(), Timeout = TimeSpan.FromMilliseconds(700) },
            TestContext.Current.CancellationToken);
        var grandchild = await ProcFs.ReadPidFileAsync(pidFile, TestContext.Current.CancellationToken);

        Assert.Equal(ProcessCompletion.TimedOut, outcome.Completion);
        Assert.Null(outcome.ExitStatus);
        Assert.Contains("started grandchild", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("timed out after 700 ms", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("(sleep,", outcome.Error, StringComparison.Ordinal);
        Assert.False(ProcFs.IsRunning(outcome.ProcessGroup), "the script still runs");
        Assert.False(ProcFs.IsRunning(grandchild), "the grandchild still runs");
        if (reapOrphans)
        {
            // Reaped, not merely dead: no zombie is left behind either.
            Assert.Null(ProcFs.State(outcome.ProcessGroup));
            Assert.Null(ProcFs.State(grandchild));
        }
    }

    [Fact]
    public async Task Run_ScriptIgnoresSigterm_IsKilledAfterTheGrace()
    {
        var script = _dir.WriteScript("stubborn.sh", """
            #!/bin/sh
            trap 'echo "got TERM"' TERM
            while true; do sleep 0.05; done
            """);

        var outcome = await Runner().RunAsync(
            new ProcessSpec(script) { Environment = Path(), Timeout = TimeSpan.FromMilliseconds(300) },
            TestContext.Current.CancellationToken);

        Assert.Equal(ProcessCompletion.TimedOut, outcome.Completion);
        Assert.Contains("got TERM", outcome.Output, StringComparison.Ordinal);
        Assert.Null(ProcFs.State(outcome.ProcessGroup));
    }

    [Fact]
    public async Task Run_Cancelled_KillsTheGroupAndSaysCancelled()
    {
        var script = _dir.WriteScript("sleep.sh", "#!/bin/sh\necho ready\nsleep 1000\n");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        var outcome = await Runner().RunAsync(new ProcessSpec(script) { Environment = Path() }, cancel.Token);

        Assert.Equal(ProcessCompletion.Cancelled, outcome.Completion);
        Assert.StartsWith("cancelled", outcome.Error, StringComparison.Ordinal);
        Assert.False(ProcFs.IsRunning(outcome.ProcessGroup));
    }

    [Fact]
    public async Task Run_DaemonLeftHoldingThePipes_ReturnsWhenTheProgramExits()
    {
        var pidFile = _dir.Combine("daemon.pid");
        var script = _dir.WriteScript("daemon.sh", $"#!/bin/sh\nsleep 1000 &\necho $! > {pidFile}\necho started\nexit 0\n");

        var outcome = await Runner().RunAsync(
            new ProcessSpec(script) { Environment = Path(), Timeout = TimeSpan.FromSeconds(30) },
            TestContext.Current.CancellationToken);
        var daemon = await ProcFs.ReadPidFileAsync(pidFile, TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal(ProcessCompletion.Exited, outcome.Completion);
            Assert.Equal(0, outcome.ExitStatus);
            Assert.Equal("started\n", outcome.Output);
            Assert.True(ProcFs.IsRunning(daemon), "a successful action's daemon must be left running");
        }
        finally
        {
            ProcFs.KillQuietly(daemon);
        }
    }

    [Fact]
    public async Task Run_ChattyProgram_OutputIsBoundedAndFlagged()
    {
        var script = _dir.WriteScript("chatty.sh", "#!/bin/sh\necho FIRST\nhead -c 300000 /dev/zero | tr '\\0' x\necho\necho LAST\n");

        var outcome = await Runner().RunAsync(
            new ProcessSpec(script) { Environment = Path(), OutputLimit = 4096 },
            TestContext.Current.CancellationToken);

        Assert.True(outcome.OutputTruncated);
        Assert.StartsWith("FIRST\n", outcome.Output, StringComparison.Ordinal);
        Assert.EndsWith("LAST\n", outcome.Output, StringComparison.Ordinal);
        Assert.True(outcome.Output.Length < 4096 + 100);
    }

    [Fact]
    public async Task Run_SetsidMissing_IsStartFailed()
    {
        var runner = new AgentProcessRunner(new AgentProcessRunnerOptions { SetsidPath = _dir.Combine("no-setsid") }, TimeProvider.System);

        var outcome = await runner.RunAsync(new ProcessSpec("/bin/true"), TestContext.Current.CancellationToken);

        Assert.Equal(ProcessCompletion.StartFailed, outcome.Completion);
        Assert.Contains("cannot start /bin/true", outcome.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string> Path() => new() { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" };
}
