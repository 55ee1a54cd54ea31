using ClusterD.Platform.Files;

namespace ClusterD.Membership.Configuration;

/// <summary>
/// Checks the paths of the <c>clusterd</c> section on this host before the daemon uses them, so that a
/// wrong path is a configuration error naming file, line and key (exit 78) instead of a failure deep in
/// start-up: <c>state_dir</c> must be a directory clusterd can create files in (created when missing), and
/// <c>admin_socket</c> must be free or a socket, in a directory clusterd can create files in. Writability
/// is tried, not derived from mode bits: root passes every permission check, yet cannot create files in
/// <c>/proc</c> or <c>/sys</c>.
/// </summary>
public static class DaemonPaths
{
    public const string StateDirKey = "clusterd.state_dir";
    public const string AdminSocketKey = "clusterd.admin_socket";

    /// <exception cref="ConfigException">A path cannot serve its purpose; the message says why.</exception>
    public static void Prepare(ClusterConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = config.ClusterD;
        RequireWritableDirectory(config, StateDirKey, options.StateDir);

        var socket = options.AdminSocket;
        if (Facts(config, AdminSocketKey, socket, followLinks: false) is { Kind: not FileKind.Socket } existing)
        {
            Fail(config, AdminSocketKey, $"'{socket}' is {existing.Kind.Describe()}; it must name a socket or nothing yet");
        }

        if (Path.GetDirectoryName(socket) is { Length: > 0 } directory)
        {
            RequireWritableDirectory(config, AdminSocketKey, directory);
        }
    }

    private static void RequireWritableDirectory(ClusterConfiguration config, string key, string directory)
    {
        var facts = Facts(config, key, directory, followLinks: true);
        if (facts is { Kind: not FileKind.Directory })
        {
            Fail(config, key, $"'{directory}' is {facts.Value.Kind.Describe()}, not a directory");
        }

        try
        {
            if (facts is null)
            {
                Directory.CreateDirectory(directory);
            }

            // A file of this process's own, removed at once: proof that clusterd can write here.
            var probe = Path.Combine(directory, $".clusterd-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(config, key, $"'{directory}' is not a directory clusterd can write to: {e.Message}");
        }
    }

    private static FileFacts? Facts(ClusterConfiguration config, string key, string path, bool followLinks)
    {
        try
        {
            return FileStat.Of(path, followLinks);
        }
        catch (IOException e)
        {
            Fail(config, key, $"'{path}' {e.Message}");
            return null;
        }
    }

    private static void Fail(ClusterConfiguration config, string key, string problem) =>
        throw new ConfigException(config.SourceFile, config.LineOf(key), key, problem);
}
