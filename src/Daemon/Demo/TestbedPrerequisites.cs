using ClusterD.Platform;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// What the end-to-end testbed (<c>tests/e2e/testbed/testbed</c>) needs from the host, checked before anything
/// is started: root, every program the script runs that a Debian machine may lack (each with the package that
/// provides it), the mysql account MariaDB runs as, the script itself in the source tree, and no testbed up
/// already (its names and addresses are fixed). The facts come in as a <see cref="Host"/>, so a made-up host
/// is checked exactly like the real one (<see cref="Probe"/>). The end-to-end tests ask the same check.
/// </summary>
internal static class TestbedPrerequisites
{
    /// <summary>Where the script lies in a source checkout.</summary>
    public static readonly string ScriptInTree = Path.Combine("tests", "e2e", "testbed", "testbed");

    /// <summary>Directories searched for programs besides PATH: a user's PATH often lacks the sbin ones.</summary>
    public static readonly string[] SystemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The programs the testbed runs that are not in every Debian installation, what each is for, and its package (Debian 12).</summary>
    private static readonly (string Program, string Purpose, string Package)[] Programs =
    [
        ("mariadbd", "the MariaDB server", "mariadb-server"),
        ("mariadb-install-db", "creates MariaDB's datadir on the shared disk", "mariadb-server"),
        ("mariadb", "the MariaDB client, creates the database and the users", "mariadb-client"),
        ("haproxy", "the load balancer in front of both nodes", "haproxy"),
        ("ip", "network namespaces, veth pairs and the bridge", "iproute2"),
        ("unshare", "each node's own mount and UTS namespace", "util-linux"),
        ("nsenter", "runs the daemons and agents inside the nodes", "util-linux"),
        ("flock", "serializes a node's power changes", "util-linux"),
        ("setsid", "runs the daemons and the testbed's commands in sessions of their own", "util-linux"),
        ("losetup", "one loop device per node over the disk image", "mount"),
        ("mkfs.ext3", "ext3 on the disk image", "e2fsprogs"),
    ];

    /// <summary>The facts the check needs about a host.</summary>
    /// <param name="IsRoot">The process runs as root.</param>
    /// <param name="HasProgram">Whether a program is found (by name) on the search path.</param>
    /// <param name="HasUser">Whether a user account exists.</param>
    /// <param name="Script">The testbed script found in the source tree, or null.</param>
    /// <param name="UpMarker">The file whose presence says a testbed is up, or null when that does not matter.</param>
    public sealed record Host(bool IsRoot, Func<string, bool> HasProgram, Func<string, bool> HasUser, string? Script, string? UpMarker);

    /// <summary>One missing prerequisite: what, why it is needed, and the Debian package that provides it (if one does).</summary>
    public sealed record Missing(string What, string Why, string? Package);

    /// <summary>Everything that keeps the testbed from running on <paramref name="host"/>; empty when nothing does.</summary>
    public static IReadOnlyList<Missing> Check(Host host)
    {
        var missing = new List<Missing>();
        if (!host.IsRoot)
        {
            missing.Add(new Missing("root", "network namespaces, loop devices and mounts need it: run the demo as root", null));
        }

        missing.AddRange(Programs.Where(p => !host.HasProgram(p.Program)).Select(p => new Missing(p.Program, p.Purpose, p.Package)));
        if (!host.HasUser("mysql"))
        {
            missing.Add(new Missing("user mysql", "the account MariaDB runs as (made when the server is installed)", "mariadb-server"));
        }

        if (host.Script is null)
        {
            missing.Add(new Missing(ScriptInTree, "the testbed and the DRBD stand-in it uses come with the source tree, not with clusterd: "
                + "run the demo from a checkout (dotnet run --project src/Daemon -c Release -- demo --mysql)", null));
        }

        if (host.UpMarker is { } marker && File.Exists(marker))
        {
            missing.Add(new Missing("testbed already up", $"a testbed is up ({Path.GetDirectoryName(marker)}): another run uses it, "
                + $"or one was killed; '{host.Script ?? ScriptInTree} down' (as root) removes it", null));
        }

        return missing;
    }

    /// <summary>The message for <paramref name="missing"/>: one line each, then the one apt-get command that installs the packages.</summary>
    public static string Explain(IReadOnlyList<Missing> missing)
    {
        var width = missing.Max(m => m.What.Length);
        var lines = missing.Select(m => $"  {m.What.PadRight(width)}  {m.Why}{(m.Package is null ? "" : $" (package {m.Package})")}").ToList();
        var packages = missing.Select(m => m.Package).OfType<string>().Distinct().ToList();
        if (packages.Count > 0)
        {
            lines.Add($"Install the missing packages with: apt-get install {string.Join(' ', packages)}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// This host: root or not, programs on PATH and in <see cref="SystemDirectories"/>, accounts through the name
    /// service, the script in the source tree above this binary or above the working directory, and the testbed's
    /// up marker in <c>$CLUSTERD_TESTBED_DIR</c> (default <c>/run/clusterd-testbed</c>) when <paramref name="checkFree"/>.
    /// </summary>
    public static Host Probe(bool checkFree = true) => new(
        Environment.IsPrivilegedProcess,
        program => FindProgram(program) is not null,
        user => Accounts.UserId(user) is not null,
        FindScript([AppContext.BaseDirectory, Environment.CurrentDirectory]),
        checkFree ? Path.Combine(StateDirectory, "up") : null);

    /// <summary>Where the testbed keeps its state (the script's own default unless the environment says otherwise).</summary>
    public static string StateDirectory => Environment.GetEnvironmentVariable("CLUSTERD_TESTBED_DIR") is { Length: > 0 } dir ? dir : "/run/clusterd-testbed";

    /// <summary>PATH followed by the <see cref="SystemDirectories"/> it lacks: the testbed runs with this.</summary>
    public static string SearchPath()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(':', path.Concat(SystemDirectories.Except(path)));
    }

    /// <summary>The first of <paramref name="starts"/> or a directory above it that holds the script; null when none does.</summary>
    public static string? FindScript(IEnumerable<string> starts)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var script = Path.Combine(dir.FullName, ScriptInTree);
                if (File.Exists(script))
                {
                    return script;
                }
            }
        }

        return null;
    }

    private static string? FindProgram(string name) =>
        SearchPath().Split(':').Select(dir => Path.Combine(dir, name)).FirstOrDefault(IsExecutable);

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
