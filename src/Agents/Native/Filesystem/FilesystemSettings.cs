namespace ClusterD.Agents.Native.Filesystem;

/// <summary>The Filesystem agent's parameters, checked and normalised.</summary>
internal sealed record FilesystemSettings(
    string Device,
    string Directory,
    string FileSystemType,
    string Options,
    string RunFsck,
    string ForceUnmount,
    string StatusFilePrefix)
{
    /// <summary>File systems the OCF agent does not fsck under <c>run_fsck=auto</c> (journaled, network or virtual ones).</summary>
    private static readonly HashSet<string> NoFsckWhenAuto = new(StringComparer.Ordinal)
    {
        "ext4", "ext4dev", "ext3", "reiserfs", "reiser4", "nss", "xfs", "jfs", "vfat", "fat", "nfs4", "nfs", "efs", "cifs",
        "smbfs", "ocfs2", "gfs2", "none", "lustre", "glusterfs", "ceph", "tmpfs", "overlay", "overlayfs", "rozofs", "zfs", "cvfs",
    };

    /// <summary>A path under /dev (by-res links such as <c>/dev/drbd/by-res/r0</c> included), rather than a label, UUID or remote source.</summary>
    public bool IsBlockDevice => Device.StartsWith("/dev/", StringComparison.Ordinal);

    /// <summary>Whether start runs fsck: <c>force</c> always, <c>no</c> never, <c>auto</c> for block devices of types without a journal.</summary>
    public bool NeedsFsck => IsBlockDevice && RunFsck switch
    {
        "force" => true,
        "no" => false,
        _ => FileSystemType.Length == 0 || !NoFsckWhenAuto.Contains(FileSystemType),
    };

    /// <summary>Whether a busy unmount may signal the mount's users (<c>true</c> and <c>safe</c> both do; only the mount's own users are ever signalled).</summary>
    public bool MayKillUsers => ForceUnmount is not ("false" or "no" or "off" or "0" or "n");

    public static bool TryParse(AgentRequest request, out FilesystemSettings settings, out string problem)
    {
        settings = null!;
        string Get(string key, string fallback = "") =>
            request.Parameters.TryGetValue(key, out var value) ? value.Trim() : fallback;

        var device = Get("device");
        var directory = Get("directory");
        if (device.Length == 0 || directory.Length == 0)
        {
            problem = "device and directory are required";
            return false;
        }

        if (!directory.StartsWith('/') || directory.Contains("/../", StringComparison.Ordinal) || directory.EndsWith("/..", StringComparison.Ordinal))
        {
            problem = $"directory '{directory}' must be an absolute path";
            return false;
        }

        directory = directory.Length > 1 ? directory.TrimEnd('/') : directory;
        if (directory == "/")
        {
            problem = "directory must not be /";
            return false;
        }

        var runFsck = Get("run_fsck", "auto").ToLowerInvariant();
        settings = new FilesystemSettings(
            device,
            directory,
            Get("fstype"),
            Get("options"),
            runFsck is "force" or "no" ? runFsck : "auto",
            Get("force_unmount", "true").ToLowerInvariant(),
            Get("statusfile_prefix", ".Filesystem_status/").Trim('/') is { Length: > 0 } prefix && !prefix.Contains("..", StringComparison.Ordinal)
                ? prefix
                : ".Filesystem_status");
        problem = "";
        return true;
    }

    public IEnumerable<string> FsckArguments()
    {
        if (FileSystemType.Length > 0)
        {
            yield return "-t";
            yield return FileSystemType;
        }

        yield return "-p";
        yield return Device;
    }

    public IEnumerable<string> MountArguments()
    {
        if (FileSystemType.Length > 0 && FileSystemType != "none")
        {
            yield return "-t";
            yield return FileSystemType;
        }

        if (Options.Length > 0)
        {
            yield return "-o";
            yield return Options;
        }

        // "-U uuid" and "-L label" are two arguments to mount(8); everything else is the source itself.
        if (Device.Length > 3 && Device[0] == '-' && Device[1] is 'U' or 'L' && Device[2] == ' ')
        {
            yield return Device[..2];
            yield return Device[3..].Trim();
        }
        else
        {
            yield return Device;
        }

        yield return Directory;
    }

    /// <summary>The block device's <c>major:minor</c> from sysfs (symbolic links resolved), or null when it is not a block device here.</summary>
    public string? DeviceNumber()
    {
        if (!IsBlockDevice)
        {
            return null;
        }

        try
        {
            var resolved = new FileInfo(Device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Device;
            var sys = Path.Combine("/sys/class/block", Path.GetFileName(resolved), "dev");
            return File.Exists(sys) ? File.ReadAllText(sys).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when <c>/proc/filesystems</c> lists the type (fuse types and <c>none</c> are taken on trust).</summary>
    public static bool KernelSupports(string type)
    {
        if (type == "none" || type.StartsWith("fuse", StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return File.ReadLines("/proc/filesystems").Any(l => l.Split('\t').Last().Trim() == type);
        }
        catch (IOException)
        {
            return true;
        }
    }
}
