using ClusterD.ResourceManager.Files;

namespace ClusterD.Cli.Configuration;

/// <summary>
/// Just enough of the corosync.conf syntax (corosync.conf(5)) to find a key of the
/// <c>clusterd { }</c> section (<c>admin_socket</c>, <c>state_dir</c>): <c>name {</c> opens a section, <c>}</c> closes it,
/// <c>key: value</c> sets a key and lines starting with <c>#</c> are comments. The daemon owns
/// validation; this reader never fails, it skips what it does not understand, so a broken file
/// makes <c>clusterctl</c> fall back to the default socket instead of refusing to run.
/// </summary>
internal static class ClusterdConfReader
{
    public const string SectionName = "clusterd";
    public const string AdminSocketKey = "admin_socket";
    public const string StateDirKey = "state_dir";

    /// <summary>The daemon's <c>state_dir</c> when its configuration names none.</summary>
    public const string DefaultStateDir = "/var/lib/clusterd";

    /// <summary>
    /// A corosync.conf is a few KiB; the bound keeps a FIFO, a device or a runaway file at that
    /// path from stalling or exhausting every clusterctl command that looks up the socket.
    /// </summary>
    public static readonly InputFileKind ConfFile = new("a clusterd.conf", 1024 * 1024);

    /// <summary>The value of <c>clusterd.admin_socket</c> in <paramref name="text"/>, or null. The last one wins.</summary>
    public static string? ReadAdminSocket(string text) => ReadKey(text, AdminSocketKey);

    /// <summary>The value of <c>clusterd.KEY</c> in <paramref name="text"/>, or null. The last one wins.</summary>
    public static string? ReadKey(string text, string key)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(key);
        var path = new List<string>();
        string? value = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line == "}")
            {
                if (path.Count > 0)
                {
                    path.RemoveAt(path.Count - 1);
                }

                continue;
            }

            if (line.EndsWith('{'))
            {
                path.Add(line[..^1].Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || path.Count != 1 || path[0] != SectionName)
            {
                continue;
            }

            if (line[..colon].Trim() == key)
            {
                var candidate = line[(colon + 1)..].Trim();
                value = candidate.Length == 0 ? value : candidate;
            }
        }

        return value;
    }

    /// <summary>
    /// Reads <paramref name="confPath"/> if it exists and is readable. A node's configuration may
    /// be root-only; an unprivileged operator then simply gets the default socket.
    /// </summary>
    public static string? ReadAdminSocketFromFile(string confPath) =>
        BoundedFile.TryReadText(confPath, ConfFile, out var text, out _) ? ReadAdminSocket(text) : null;

    /// <summary>
    /// The daemon's <c>state_dir</c> from <paramref name="confPath"/>, else <see cref="DefaultStateDir"/>
    /// (also when the file cannot be read, as for the socket).
    /// </summary>
    public static string ReadStateDirFromFile(string confPath) =>
        (BoundedFile.TryReadText(confPath, ConfFile, out var text, out _) ? ReadKey(text, StateDirKey) : null) ?? DefaultStateDir;
}
