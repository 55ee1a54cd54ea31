using System.Globalization;

namespace ClusterD.Agents.Native.Filesystem;

/// <summary>
/// Finds the processes that really use one mount, so that a busy unmount kills those and nothing
/// else (field notes: Filesystem agents that killed "everything", even the cluster's own daemons).
/// A process counts when an open file descriptor, its working directory, root or executable is on
/// that very mount (by mount id, so another mount of the same device or a bind mount elsewhere does
/// not count), or when it maps a file from the mount's device. This process is never listed.
/// </summary>
public static class MountUsers
{
    /// <summary>Scans <c>/proc</c>; processes that exit during the scan are skipped.</summary>
    public static IReadOnlyList<MountUser> Find(MountEntry mount, string proc = "/proc")
    {
        ArgumentNullException.ThrowIfNull(mount);
        var self = Environment.ProcessId;
        var mapsDevice = $"{mount.Major:x2}:{mount.Minor:x2}";
        var users = new List<MountUser>();
        foreach (var directory in Directory.EnumerateDirectories(proc))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            var holds = new List<string>();
            try
            {
                foreach (var info in Directory.EnumerateFiles(Path.Combine(directory, "fdinfo")))
                {
                    if (ReadMountId(info) == mount.MountId)
                    {
                        holds.Add($"fd {Path.GetFileName(info)}");
                    }
                }

                foreach (var link in new[] { "cwd", "root", "exe" })
                {
                    if (FilesystemCalls.MountIdOf(Path.Combine(directory, link)) == mount.MountId)
                    {
                        holds.Add(link);
                    }
                }

                if (MapsFrom(Path.Combine(directory, "maps"), mapsDevice))
                {
                    holds.Add("mmap");
                }

                if (holds.Count > 0)
                {
                    users.Add(new MountUser(pid, Command(directory), holds));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited while it was being looked at: it holds nothing any more.
            }
        }

        return users;
    }

    /// <summary>The <c>mnt_id:</c> of an fdinfo file, or -1.</summary>
    internal static int ReadMountId(string fdinfo)
    {
        try
        {
            foreach (var line in File.ReadLines(fdinfo))
            {
                if (line.StartsWith("mnt_id:", StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(7).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    return id;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The descriptor was closed meanwhile.
        }

        return -1;
    }

    // 7f2c4a1e3000-7f2c4a1e4000 r--p 00000000 07:03 12 /mnt/data/file
    private static bool MapsFrom(string maps, string device)
    {
        foreach (var line in File.ReadLines(maps))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[3] == device && fields[4] != "0")
            {
                return true;
            }
        }

        return false;
    }

    private static string Command(string directory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, "comm")).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
