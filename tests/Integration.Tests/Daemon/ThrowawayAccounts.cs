using ClusterD.TestKit.Processes;

namespace ClusterD.Integration.Tests.Daemon;

/// <summary>
/// Real Unix users and groups made for one test (cdtest-&lt;random&gt;, no home) and removed
/// afterwards, so a real process can call the admin socket with other credentials. Needs root.
/// </summary>
internal sealed class ThrowawayAccounts : IAsyncDisposable
{
    private readonly string _tag = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
    private readonly List<string> _users = [];
    private readonly List<string> _groups = [];

    public async Task<string> GroupAsync(string role, CancellationToken cancellationToken)
    {
        var name = $"cdtest-{role}-{_tag}";
        await RunAsync("groupadd", [name], cancellationToken);
        _groups.Add(name);
        return name;
    }

    /// <summary>Creates a user whose supplementary groups are <paramref name="groups"/>; returns its name.</summary>
    public async Task<string> UserAsync(string role, string[] groups, CancellationToken cancellationToken)
    {
        var name = $"cdtest-{role}-{_tag}";
        string[] args = groups.Length == 0 ? ["-M", "-s", "/usr/sbin/nologin", name] : ["-M", "-s", "/usr/sbin/nologin", "-G", string.Join(',', groups), name];
        await RunAsync("useradd", args, cancellationToken);
        _users.Add(name);
        return name;
    }

    public static async Task<uint> IdAsync(string flag, string name, CancellationToken cancellationToken) =>
        uint.Parse((await RunAsync("id", [flag, name], cancellationToken)).Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs clusterctl as <paramref name="user"/> with its groups (runuser calls initgroups).</summary>
    public static Task<ProcessRunner.Result> ClusterctlAsAsync(string user, CancellationToken cancellationToken, params string[] args) =>
        ProcessRunner.RunAsync("runuser", ["-u", user, "--", "env", "HOME=/tmp", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "dotnet", RepoPaths.Clusterctl, .. args], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var user in _users)
        {
            await ProcessRunner.RunAsync("userdel", [user], CancellationToken.None);
        }

        foreach (var group in _groups)
        {
            await ProcessRunner.RunAsync("groupdel", [group], CancellationToken.None);
        }
    }

    private static async Task<ProcessRunner.Result> RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(program, args, cancellationToken);
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"{program} {string.Join(' ', args)}: exit {result.ExitCode}: {result.Stderr}");
    }
}
