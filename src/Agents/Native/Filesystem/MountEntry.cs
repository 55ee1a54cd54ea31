namespace ClusterD.Agents.Native.Filesystem;

/// <summary>One line of <c>/proc/self/mountinfo</c> (proc(5)), with escapes decoded.</summary>
/// <param name="MountId">Unique id of the mount; what <c>/proc/PID/fdinfo/N</c> reports as <c>mnt_id</c>.</param>
/// <param name="ParentId">The mount this one is mounted on.</param>
/// <param name="Major">Major number of the device (<c>st_dev</c>) of files on this mount.</param>
/// <param name="Minor">Minor number of the device.</param>
/// <param name="Root">The directory of the file system that is the root of this mount (not <c>/</c> for a bind mount of a subdirectory).</param>
/// <param name="MountPoint">Where it is mounted, relative to this process's root.</param>
/// <param name="Options">Per-mount options (<c>rw,relatime</c>).</param>
/// <param name="FileSystemType">e.g. <c>ext3</c>.</param>
/// <param name="Source">The mount source, e.g. <c>/dev/loop3</c> or <c>host:/export</c>.</param>
/// <param name="SuperOptions">Per-superblock options.</param>
public sealed record MountEntry(
    int MountId,
    int ParentId,
    int Major,
    int Minor,
    string Root,
    string MountPoint,
    string Options,
    string FileSystemType,
    string Source,
    string SuperOptions)
{
    /// <summary>The device as <c>major:minor</c>, the form of <c>/sys/class/block/*/dev</c> and <c>/proc/PID/maps</c> (there in hex).</summary>
    public string Device => $"{Major}:{Minor}";
}
