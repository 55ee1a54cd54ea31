using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Native.Filesystem;

/// <summary>
/// Mounts a file system while started: the native form of <c>ocf:heartbeat:Filesystem</c>, with its
/// parameter names (<c>device</c>, <c>directory</c>, <c>fstype</c>, <c>options</c>, <c>run_fsck</c>,
/// <c>force_unmount</c>, <c>statusfile_prefix</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>start: nothing to do when already mounted there; otherwise fsck as the OCF agent decides
/// (<c>run_fsck=auto</c> checks only file systems without a journal, e.g. ext2; <c>force</c>
/// always, <c>no</c> never; fsck status 4 or more fails the start), create the directory, run
/// <c>mount(8)</c>, and succeed only when the mount shows in <c>/proc/self/mountinfo</c>.</item>
/// <item>monitor: from mountinfo only (no program is run): 7 when nothing is mounted on the
/// directory, 1 when another device is; depth 10 also reads from the device, depth 20 also writes,
/// syncs and reads back a status file on the mount.</item>
/// <item>stop: <c>umount2(2)</c>; while the mount is busy, the processes that use this very mount
/// (open files, working directory, root, executable, mapped files) get SIGTERM, then SIGKILL, and the
/// unmount is retried until the action's timeout. Success only once mountinfo no longer shows it.</item>
/// </list>
/// </remarks>
public sealed partial class FilesystemAgent : NativeAgent
{
    private readonly NativeTools _tools;

    public FilesystemAgent(AgentName name, NativeAgentOptions options, AgentProcessRunner runner, TimeProvider time)
        : base(name, time)
    {
        _tools = new NativeTools(options, runner);
    }

    /// <inheritdoc/>
    protected override string MetadataXml => FilesystemMetadata.Xml;

    /// <inheritdoc/>
    protected override async Task<AgentResult> RunAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        if (!FilesystemSettings.TryParse(request, out var settings, out var problem))
        {
            return Result(OcfExitCode.NotConfigured, problem);
        }

        return request.Action switch
        {
            AgentAction.Start => await StartAsync(settings, request, cancellationToken).ConfigureAwait(false),
            AgentAction.Stop => await StopAsync(settings, cancellationToken).ConfigureAwait(false),
            AgentAction.Monitor => await MonitorAsync(settings, request, cancellationToken).ConfigureAwait(false),
            AgentAction.ValidateAll => Validate(settings),
            _ => Result(OcfExitCode.Unimplemented, $"{Name} has no {request.Action.ToOcfName()} action"),
        };
    }

    private async Task<AgentResult> StartAsync(FilesystemSettings settings, AgentRequest request, CancellationToken cancellationToken)
    {
        var mounted = MountTable.Read().At(settings.Directory);
        if (mounted is not null)
        {
            return SameDevice(settings, mounted)
                ? Result(OcfExitCode.Success)
                : Result(OcfExitCode.GenericError, $"{settings.Directory} is already mounted from {mounted.Source}, not {settings.Device}");
        }

        if (Validate(settings) is { ExitCode: not OcfExitCode.Success } invalid)
        {
            return invalid;
        }

        if (settings.NeedsFsck)
        {
            var fsck = await _tools.RunAsync("fsck", settings.FsckArguments(), request.Timeout, cancellationToken).ConfigureAwait(false);
            if (fsck.Completion != ProcessCompletion.Exited || fsck.ExitStatus >= 4)
            {
                return Result(OcfExitCode.GenericError, $"fsck of {settings.Device} failed ({Describe(fsck)})") with { Output = fsck.Output };
            }
        }

        Directory.CreateDirectory(settings.Directory);
        var mount = await _tools.RunAsync("mount", settings.MountArguments(), request.Timeout, cancellationToken).ConfigureAwait(false);
        var now = MountTable.Read().At(settings.Directory);
        if (mount.Completion != ProcessCompletion.Exited || mount.ExitStatus != 0 || now is null)
        {
            return Result(OcfExitCode.GenericError, $"could not mount {settings.Device} on {settings.Directory} ({Describe(mount)})")
                with { Output = mount.Output };
        }

        return Result(OcfExitCode.Success);
    }

    private async Task<AgentResult> MonitorAsync(FilesystemSettings settings, AgentRequest request, CancellationToken cancellationToken)
    {
        var mounted = MountTable.Read().At(settings.Directory);
        if (mounted is null)
        {
            return Result(OcfExitCode.NotRunning);
        }

        if (!SameDevice(settings, mounted))
        {
            return Result(OcfExitCode.GenericError, $"{settings.Directory} is mounted from {mounted.Source}, not {settings.Device}");
        }

        if (request.CheckLevel >= 20)
        {
            return await WriteCheckAsync(settings, request.NodeName, cancellationToken).ConfigureAwait(false);
        }

        return request.CheckLevel >= 10 ? await ReadCheckAsync(settings, cancellationToken).ConfigureAwait(false) : Result(OcfExitCode.Success);
    }

    private AgentResult Validate(FilesystemSettings settings)
    {
        if (settings.IsBlockDevice && !File.Exists(settings.Device))
        {
            return Result(OcfExitCode.NotInstalled, $"device {settings.Device} does not exist");
        }

        if (_tools.Find("mount") is null)
        {
            return Result(OcfExitCode.NotInstalled, "mount(8) is not installed");
        }

        if (settings.NeedsFsck && _tools.Find("fsck") is null)
        {
            return Result(OcfExitCode.NotInstalled, "fsck(8) is not installed, and run_fsck asks for it");
        }

        return settings.FileSystemType.Length > 0 && !FilesystemSettings.KernelSupports(settings.FileSystemType)
            ? Result(OcfExitCode.NotInstalled, $"the kernel does not support file system type {settings.FileSystemType} (/proc/filesystems)")
            : Result(OcfExitCode.Success);
    }

    /// <summary>Depth 10: the device (or the mount, for a non-block source) answers a read.</summary>
    private static async Task<AgentResult> ReadCheckAsync(FilesystemSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            if (settings.IsBlockDevice)
            {
                var block = new byte[4096];
                await using var device = new FileStream(settings.Device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, useAsync: false);
                _ = await device.ReadAsync(block, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _ = Directory.EnumerateFileSystemEntries(settings.Directory).Take(1).Count();
            }

            return Result(OcfExitCode.Success);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result(OcfExitCode.GenericError, $"read check of {settings.Directory} failed: {e.Message}");
        }
    }

    /// <summary>Depth 20: a status file on the mount is written, synced and read back.</summary>
    private async Task<AgentResult> WriteCheckAsync(FilesystemSettings settings, string? node, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(settings.Directory, settings.StatusFilePrefix);
        var path = Path.Combine(directory, node ?? Environment.MachineName);
        var stamp = $"{Time.GetUtcNow():O}\n";
        try
        {
            Directory.CreateDirectory(directory);
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(stamp), cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            var back = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return back == stamp
                ? Result(OcfExitCode.Success)
                : Result(OcfExitCode.GenericError, $"write check of {path} read back something else");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result(OcfExitCode.GenericError, $"write check of {path} failed: {e.Message}");
        }
    }

    /// <summary>For a block device, the mount's major:minor must be the device's; other sources compare by name.</summary>
    private static bool SameDevice(FilesystemSettings settings, MountEntry mounted) =>
        settings.DeviceNumber() is { } number ? number == mounted.Device : settings.Device == mounted.Source;

    private static string Describe(ProcessOutcome outcome) => outcome.Completion switch
    {
        ProcessCompletion.Exited => $"exit status {outcome.ExitStatus}: {Tail(outcome.Output)}",
        _ => outcome.Error ?? outcome.Completion.ToString(),
    };

    private static string Tail(string output)
    {
        var text = output.Trim();
        return text.Length <= 300 ? text : text[^300..];
    }
}
