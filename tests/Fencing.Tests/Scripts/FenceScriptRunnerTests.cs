using ClusterD.Fencing.Scripts;
using ClusterD.Fencing.Tests.TestSupport;

namespace ClusterD.Fencing.Tests.Scripts;

/// <summary>
/// Real agents through the real runner: Debian's <c>/usr/sbin/fence_dummy</c> (fence-agents, its
/// <c>type=file</c> mode keeps the power state in <c>status_file</c>) and small <c>fence_*</c> scripts
/// found through an extra locator directory.
/// </summary>
public sealed class FenceScriptRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static TimeSpan Timeout => TimeSpan.FromSeconds(30);

    private FenceScriptRunner Runner(string agent, int outputLimit = 64 * 1024) => new(
        agent,
        Runners.Processes(),
        new FenceScriptOptions { Locator = new FenceAgentLocator([_dir.Path, FenceAgentLocator.DefaultDirectory]), OutputLimit = outputLimit });

    private Dictionary<string, string> DummyParams(string state)
    {
        var file = _dir.Combine("power");
        File.WriteAllText(file, state);
        return new() { ["status_file"] = file };
    }

    [Fact]
    public async Task Off_FenceDummyPoweredOn_PowersOffAndStatusThenReportsOff()
    {
        var ct = TestContext.Current.CancellationToken;
        var parameters = DummyParams("on");
        var dummy = Runner("fence_dummy");

        var off = await dummy.RunAsync(new FenceRequest(FenceAction.Off, null, parameters, Timeout), ct);
        var status = await dummy.RunAsync(new FenceRequest(FenceAction.Status, null, parameters, Timeout), ct);

        Assert.True(off.Succeeded, off.Reason);
        Assert.Equal(0, off.ExitCode);
        Assert.Null(off.Reason);
        Assert.Contains("Success: Powered OFF", off.Output, StringComparison.Ordinal);
        Assert.Equal("off", File.ReadAllText(parameters["status_file"]));
        Assert.True(status.Succeeded);
        Assert.Equal(FenceExitCodes.StatusOff, status.ExitCode);
        Assert.True(status.IsOff);
        Assert.Contains("Status: OFF", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_FenceDummyPoweredOff_PowersOnAndStatusThenReportsOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var parameters = DummyParams("off");
        var dummy = Runner("fence_dummy");

        var on = await dummy.RunAsync(new FenceRequest(FenceAction.On, null, parameters, Timeout), ct);
        var status = await dummy.RunAsync(new FenceRequest(FenceAction.Status, null, parameters, Timeout), ct);

        Assert.True(on.Succeeded, on.Reason);
        Assert.Equal("on", File.ReadAllText(parameters["status_file"]));
        Assert.True(status.Succeeded);
        Assert.Equal(FenceExitCodes.Success, status.ExitCode);
        Assert.False(status.IsOff);
    }

    [Fact]
    public async Task Monitor_FenceDummy_Succeeds()
    {
        var result = await Runner("fence_dummy").RunAsync(
            new FenceRequest(FenceAction.Monitor, null, DummyParams("on"), Timeout), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task List_FenceDummyWithoutPlugs_FailsWithTheAgentsError()
    {
        // fence_dummy declares no_port, so fencing.py removes list from its actions.
        var result = await Runner("fence_dummy").RunAsync(
            new FenceRequest(FenceAction.List, null, DummyParams("on"), Timeout), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(FenceExitCodes.Error, result.ExitCode);
        Assert.StartsWith("exit status 1: ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("Unrecognised action 'list'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_StatusFileCannotBeWritten_FailsWithExitStatus1AndTheLastError()
    {
        var parameters = new Dictionary<string, string> { ["status_file"] = _dir.Combine("missing-dir", "power") };

        var result = await Runner("fence_dummy").RunAsync(
            new FenceRequest(FenceAction.On, null, parameters, Timeout), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No such file or directory", result.Reason, StringComparison.Ordinal);
        Assert.Contains("Traceback", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_FenceDummy_ReturnsTheXmlAndItsParameters()
    {
        var metadata = await Runner("fence_dummy").MetadataAsync(TestContext.Current.CancellationToken);

        Assert.Equal("fence_dummy", metadata.Agent);
        Assert.StartsWith("<?xml", metadata.Xml, StringComparison.Ordinal);
        Assert.Contains("<resource-agent name=\"fence_dummy\"", metadata.Xml, StringComparison.Ordinal);
        Assert.Contains("status_file", metadata.ParameterNames);
        Assert.Contains("random_sleep_range", metadata.ParameterNames);
        Assert.Contains("type", metadata.ParameterNames);
        Assert.True(metadata.Supports(FenceAction.Off));
        Assert.True(metadata.Supports(FenceAction.Status));
        Assert.False(metadata.Supports(FenceAction.List));
    }

    [Fact]
    public async Task Run_AgentOutlivesTimeout_IsKilledWithItsGroupAndFails()
    {
        var pidFile = _dir.Combine("sleepy.pid");
        _dir.WriteScript("fence_sleepy", $"""
            #!/bin/sh
            sleep 1000 &
            echo $! > {pidFile}
            echo "sleeping"
            wait
            """);

        var result = await Runner("fence_sleepy").RunAsync(
            new FenceRequest(FenceAction.Off, "node2", new Dictionary<string, string>(), TimeSpan.FromMilliseconds(500)),
            TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(FenceExitCodes.NotRun, result.ExitCode);
        Assert.StartsWith("timed out after ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("sleeping", result.Output, StringComparison.Ordinal);
        Assert.False(ProcFs.IsRunning(ProcFs.ReadPid(pidFile)));
    }

    [Fact]
    public async Task Run_Cancelled_ThrowsAfterStoppingTheAgent()
    {
        var pidFile = _dir.Combine("cancel.pid");
        _dir.WriteScript("fence_hangs", $"""
            #!/bin/sh
            echo $$ > {pidFile}
            exec sleep 1000
            """);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner("fence_hangs").RunAsync(
            new FenceRequest(FenceAction.Off, "node2", new Dictionary<string, string>(), Timeout), cts.Token));

        Assert.False(ProcFs.IsRunning(ProcFs.ReadPid(pidFile)));
    }

    [Fact]
    public async Task Run_Script_ReadsActionParametersAndPlugOnStdinWithNoArguments()
    {
        _dir.WriteScript("fence_echo", """
            #!/bin/sh
            echo "args: $#"
            cat
            """);

        var result = await Runner("fence_echo").RunAsync(
            new FenceRequest(FenceAction.Reboot, "vm-2", new Dictionary<string, string> { ["login"] = "admin", ["action"] = "on", ["port"] = "other" }, Timeout),
            TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal("args: 0\naction=reboot\nlogin=admin\nport=other\nplug=vm-2\n", result.Output);
    }

    [Fact]
    public async Task Run_ParameterWithLineBreak_IsRefusedWithoutRunning()
    {
        var marker = _dir.Combine("ran");
        _dir.WriteScript("fence_marker", $"""
            #!/bin/sh
            touch {marker}
            """);

        var result = await Runner("fence_marker").RunAsync(
            new FenceRequest(FenceAction.Off, "n1", new Dictionary<string, string> { ["passwd"] = "x\naction=on" }, Timeout),
            TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(FenceExitCodes.NotRun, result.ExitCode);
        Assert.Contains("parameter passwd", result.Reason, StringComparison.Ordinal);
        Assert.Null(result.Output);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Run_GarbageOutput_IsBoundedAndOnlyTheExitStatusDecides()
    {
        _dir.WriteScript("fence_garbage", """
            #!/bin/sh
            head -c 200000 /dev/urandom
            printf '\nERROR: \033[31mbad\001 things\n'
            exit 1
            """);

        var result = await Runner("fence_garbage", outputLimit: 4096).RunAsync(
            new FenceRequest(FenceAction.Off, "n1", new Dictionary<string, string>(), Timeout), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("exit status 1: ERROR: ?[31mbad? things", result.Reason);
        Assert.Contains("bytes of output omitted", result.Output, StringComparison.Ordinal);
        Assert.True(result.Output!.Length < 4096 * 2);
    }

    [Fact]
    public async Task Metadata_NotXml_Throws()
    {
        _dir.WriteScript("fence_nometa", """
            #!/bin/sh
            echo "this is not XML at all <"
            """);

        var e = await Assert.ThrowsAsync<FenceAgentException>(() => Runner("fence_nometa").MetadataAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("fence_nometa metadata: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../sbin/fence_dummy")]
    [InlineData("/usr/sbin/fence_dummy")]
    [InlineData("fence_Dummy")]
    [InlineData("fence_")]
    [InlineData("dummy")]
    [InlineData("fence_a;reboot")]
    public async Task Run_NotAPlainAgentName_IsRefused(string agent)
    {
        var result = await Runner(agent).RunAsync(
            new FenceRequest(FenceAction.Status, null, new Dictionary<string, string>(), Timeout), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal(FenceExitCodes.NotRun, result.ExitCode);
        Assert.Contains("is not a fence agent name", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AgentNotInstalled_FailsNamingTheDirectories()
    {
        var result = await Runner("fence_not_installed_here").RunAsync(
            new FenceRequest(FenceAction.Status, null, new Dictionary<string, string>(), Timeout), TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
        Assert.Equal($"fence_not_installed_here not found in {_dir.Path}, /usr/sbin", result.Reason);
    }

    public void Dispose() => _dir.Dispose();
}
