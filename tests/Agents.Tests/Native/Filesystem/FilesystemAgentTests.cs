using System.Diagnostics;
using ClusterD.Agents.Native.Filesystem;
using ClusterD.Agents.Tests.TestSupport;

namespace ClusterD.Agents.Tests.Native.Filesystem;

/// <summary>The native Filesystem agent against a real ext3 file system on a loop device (root: CI runs as root).</summary>
public sealed class FilesystemAgentTests : IDisposable
{
    private readonly AgentHarness _h = new();
    private readonly LoopExt3 _disk = new();
    private readonly List<Process> _started = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FilesystemAgent Agent => new(AgentName.Parse("ocf:heartbeat:Filesystem"), _h.Native, _h.Runner, TimeProvider.System);

    [Fact]
    public async Task StartMonitorStop_MountsTheDeviceAndReportsFromMountinfo()
    {
        var agent = Agent;

        Assert.Equal(OcfExitCode.NotRunning, (await Run(agent, AgentAction.Monitor)).ExitCode);
        var start = await Run(agent, AgentAction.Start);

        Assert.True(start.IsSuccess, start.ExitReason);
        var mount = MountTable.Read().At(_disk.MountPoint);
        Assert.NotNull(mount);
        Assert.Equal("ext3", mount.FileSystemType);
        Assert.Equal(_disk.Device, mount.Source);
        Assert.Equal(OcfExitCode.Success, (await Run(agent, AgentAction.Monitor)).ExitCode);
        Assert.Equal(OcfExitCode.Success, (await Run(agent, AgentAction.Monitor, checkLevel: 10)).ExitCode);
        var write = await Run(agent, AgentAction.Monitor, checkLevel: 20);
        Assert.Equal(OcfExitCode.Success, write.ExitCode);
        Assert.True(File.Exists(Path.Combine(_disk.MountPoint, ".Filesystem_status", "node1")));

        var stop = await Run(agent, AgentAction.Stop);

        Assert.True(stop.IsSuccess, stop.ExitReason);
        Assert.Null(MountTable.Read().At(_disk.MountPoint));
        Assert.Equal(OcfExitCode.NotRunning, (await Run(agent, AgentAction.Monitor)).ExitCode);
    }

    [Fact]
    public async Task Start_WhenAlreadyMounted_SucceedsWithoutASecondMount()
    {
        var agent = Agent;
        Assert.True((await Run(agent, AgentAction.Start)).IsSuccess);

        var again = await Run(agent, AgentAction.Start);

        Assert.True(again.IsSuccess, again.ExitReason);
        Assert.Single(MountTable.Read().Entries, e => e.MountPoint == _disk.MountPoint);
        Assert.True((await Run(agent, AgentAction.Stop)).IsSuccess);
    }

    [Fact]
    public async Task Stop_WhenNotMounted_Succeeds()
    {
        var stop = await Run(Agent, AgentAction.Stop);

        Assert.True(stop.IsSuccess, stop.ExitReason);
    }

    [Fact]
    public async Task Stop_BusyMount_KillsOnlyTheProcessesUsingItThenUnmounts()
    {
        var agent = Agent;
        Assert.True((await Run(agent, AgentAction.Start)).IsSuccess);
        var holder = Spawn($"exec 3>'{_disk.MountPoint}/held'; exec sleep 600", "/");
        var stubborn = Spawn("trap '' TERM; exec sleep 600", _disk.MountPoint); // ignores SIGTERM, cwd on the mount
        var bystander = Spawn("exec sleep 600", "/tmp");
        await WaitUntilAsync(() => MountUsers.Find(MountTable.Read().At(_disk.MountPoint)!).Count >= 2);
        Assert.Equal(FilesystemCalls.Ebusy, FilesystemCalls.Unmount(_disk.MountPoint));

        var stop = await Run(agent, AgentAction.Stop);

        Assert.True(stop.IsSuccess, stop.ExitReason);
        Assert.Null(MountTable.Read().At(_disk.MountPoint));
        Assert.True(holder.WaitForExit(5_000));
        Assert.True(stubborn.WaitForExit(5_000));
        Assert.Equal(128 + 9, stubborn.ExitCode); // SIGKILL after the SIGTERM rounds were ignored
        Assert.False(bystander.HasExited);
        Assert.Contains($"SIGKILL {stubborn.Id}", stop.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(bystander.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), stop.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_BusyMountWithForceUnmountFalse_TimesOutAndLeavesTheUserAlone()
    {
        var agent = Agent;
        Assert.True((await Run(agent, AgentAction.Start)).IsSuccess);
        var holder = Spawn("exec sleep 600", _disk.MountPoint);
        await WaitUntilAsync(() => MountUsers.Find(MountTable.Read().At(_disk.MountPoint)!).Count >= 1);

        var stop = await Run(agent, AgentAction.Stop, timeout: TimeSpan.FromSeconds(2), extra: new() { ["force_unmount"] = "false" });

        Assert.Equal(AgentExecutionStatus.TimedOut, stop.Status);
        Assert.NotNull(MountTable.Read().At(_disk.MountPoint));
        Assert.False(holder.HasExited);
        holder.Kill();
        await holder.WaitForExitAsync(Ct);
        Assert.True((await Run(agent, AgentAction.Stop)).IsSuccess);
    }

    [Fact]
    public async Task Monitor_AnotherDeviceMountedThere_IsAGenericError()
    {
        using var other = new LoopExt3();
        Directory.CreateDirectory(_disk.MountPoint);
        LoopExt3.Run("mount", "-t", "ext3", other.Device, _disk.MountPoint);
        try
        {
            var monitor = await Run(Agent, AgentAction.Monitor);
            var start = await Run(Agent, AgentAction.Start);

            Assert.Equal(OcfExitCode.GenericError, monitor.ExitCode);
            Assert.Contains(other.Device, monitor.ExitReason, StringComparison.Ordinal);
            Assert.Equal(OcfExitCode.GenericError, start.ExitCode);
        }
        finally
        {
            LoopExt3.Run("umount", _disk.MountPoint);
        }
    }

    [Fact]
    public async Task Start_WithFsckForced_ChecksTheCleanFileSystemAndMounts()
    {
        var start = await Run(Agent, AgentAction.Start, extra: new() { ["run_fsck"] = "force", ["options"] = "noatime" });

        Assert.True(start.IsSuccess, start.ExitReason);
        Assert.Contains("noatime", MountTable.Read().At(_disk.MountPoint)!.Options, StringComparison.Ordinal);
        Assert.True((await Run(Agent, AgentAction.Stop)).IsSuccess);
    }

    [Fact]
    public async Task Start_DeviceMissing_IsNotInstalled()
    {
        var start = await Run(Agent, AgentAction.Start, extra: new() { ["device"] = "/dev/clusterd-no-such-disk" });

        Assert.Equal(OcfExitCode.NotInstalled, start.ExitCode);
        Assert.False(Directory.Exists(_disk.MountPoint));
    }

    [Fact]
    public async Task Start_WithoutDirectory_IsNotConfigured()
    {
        var request = new AgentRequest(AgentAction.Start, "fs") { Parameters = new Dictionary<string, string> { ["device"] = _disk.Device, ["fstype"] = "ext3" } };

        var start = await Agent.ExecuteAsync(request, Ct);

        Assert.Equal(OcfExitCode.NotConfigured, start.ExitCode);
    }

    private async Task<AgentResult> Run(FilesystemAgent agent, AgentAction action, int checkLevel = 0, TimeSpan? timeout = null, Dictionary<string, string>? extra = null)
    {
        var parameters = _disk.Parameters();
        foreach (var (key, value) in extra ?? [])
        {
            parameters[key] = value;
        }

        return await agent.ExecuteAsync(new AgentRequest(action, "fs_mysql")
        {
            Parameters = parameters,
            CheckLevel = checkLevel,
            NodeName = "node1",
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        }, Ct);
    }

    private Process Spawn(string script, string workingDirectory)
    {
        var process = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", script]) { WorkingDirectory = workingDirectory })!;
        _started.Add(process);
        return process;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(20, Ct);
        }
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5_000);
            }

            process.Dispose();
        }

        _disk.Dispose();
        _h.Dispose();
    }
}
