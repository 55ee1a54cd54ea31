using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using ClusterD.Platform;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// Starts the server detached from the agent: in its own session (util-linux <c>setsid</c>, which
/// execs without forking because the runtime's child is never a group leader), stdin from
/// <c>/dev/null</c> and stdout/stderr appended to the error log, so it outlives the action, the
/// daemon's process group and <c>clusterctl agent exec</c>. The returned pid is the server's own
/// (setsid and the shell both exec), which the runtime reaps if it exits while this process lives.
/// </summary>
internal static class ServerLauncher
{
    public const string SetsidPath = "/usr/bin/setsid";

    /// <summary>Opens the log for append and execs the server; <c>$1</c> is the log, the rest is the command. Nothing is interpolated.</summary>
    private const string ExecScript = "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";

    /// <summary>
    /// The server's arguments, in the order <c>mysql_common_start</c> passes them:
    /// <c>--defaults-file</c> first (the server only honours it there), then the paths, then
    /// <c>--user</c> when the agent runs as root (the server drops to it; the script used <c>su</c>),
    /// the explicit port and bind address, and <c>additional_parameters</c> last so they can override.
    /// </summary>
    public static ImmutableArray<string> Arguments(MysqlSettings settings, bool asRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var arguments = ImmutableArray.CreateBuilder<string>();
        if (settings.Config.Length > 0)
        {
            arguments.Add($"--defaults-file={settings.Config}");
        }

        arguments.Add($"--pid-file={settings.PidFile}");
        arguments.Add($"--socket={settings.Socket}");
        arguments.Add($"--datadir={settings.DataDirectory}");
        arguments.Add($"--log-error={settings.LogFile}");
        if (asRoot)
        {
            arguments.Add($"--user={settings.User}");
        }

        if (settings.Port is { } port)
        {
            arguments.Add($"--port={port.ToString(CultureInfo.InvariantCulture)}");
        }

        if (settings.BindAddress is { } bind)
        {
            arguments.Add($"--bind-address={bind}");
        }

        arguments.AddRange(settings.AdditionalParameters);
        return arguments.ToImmutable();
    }

    /// <summary>Starts the server and returns its pid; throws <see cref="InvalidOperationException"/> when it cannot be run.</summary>
    public static int Launch(MysqlSettings settings, bool asRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var info = new ProcessStartInfo(SetsidPath) { UseShellExecute = false, WorkingDirectory = "/" };
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        info.Environment["LC_ALL"] = "C";
        foreach (var argument in (string[])["/bin/sh", "-c", ExecScript, "mysql-start", settings.LogFile, settings.Binary, .. Arguments(settings, asRoot)])
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"{SetsidPath} did not start");
            return process.Id;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run {settings.Binary}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Creates the pid and socket directories (and the log's) when missing and, as root, gives
    /// them to <c>user:group</c>; creates the log file with mode 0640 owned likewise. What
    /// <c>mysql_common_prepare_dirs</c> does: <c>/run/mysqld</c> is on tmpfs and gone after a reboot.
    /// Returns a problem, or null.
    /// </summary>
    public static string? PrepareDirectories(MysqlSettings settings, bool asRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        uint uid = 0, gid = 0;
        if (asRoot)
        {
            if (Accounts.UserId(settings.User) is not { } u)
            {
                return $"user {settings.User} does not exist";
            }

            if (Accounts.GroupId(settings.Group) is not { } g)
            {
                return $"group {settings.Group} does not exist";
            }

            (uid, gid) = (u, g);
        }

        try
        {
            foreach (var file in new[] { settings.PidFile, settings.Socket, settings.LogFile })
            {
                var directory = Path.GetDirectoryName(file)!;
                if (!Directory.Exists(directory))
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                    if (asRoot && !Accounts.ChangeOwner(directory, uid, gid))
                    {
                        return $"cannot give {directory} to {settings.User}:{settings.Group}";
                    }
                }
            }

            if (!File.Exists(settings.LogFile))
            {
                using (File.Create(settings.LogFile))
                {
                }

                File.SetUnixFileMode(settings.LogFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            }

            if (asRoot && !Accounts.ChangeOwner(settings.LogFile, uid, gid))
            {
                return $"cannot give {settings.LogFile} to {settings.User}:{settings.Group}";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }

        return null;
    }

    /// <summary>The last lines of the error log (at most <paramref name="maxBytes"/>), for exit reasons.</summary>
    public static string LogTail(string logFile, int maxBytes = 2048)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Max(0, stream.Length - maxBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return string.Join(" | ", lines.TakeLast(8));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(cannot read {logFile}: {e.Message})";
        }
    }
}
